/**
 * Decoding the codecs chunks are stored with (HDF5 filters with Zarr
 * equivalents) natively: node:zlib, a JS unshuffle, numcodecs.js blosc.
 */
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { StoredCodec } from "./types.ts";

const inflate = promisify(zlib.inflate);
const zstdDecompress = promisify(zlib.zstdDecompress);

/** Blosc from numcodecs.js, loaded on first use (its wasm is large and rarely needed). */
export function lazyBlosc(config: { cname?: string; clevel?: number; shuffle?: 0 | 1 | 2 }): {
  encode(b: Uint8Array): Promise<Uint8Array>;
  decode(b: Uint8Array): Promise<Uint8Array>;
} {
  const codec = import("numcodecs/blosc").then(({ default: Blosc }) =>
    Blosc.fromConfig({ id: "blosc", blocksize: 0, ...config })
  );
  return {
    encode: async (b) => await (await codec).encode(b),
    decode: async (b) => await (await codec).decode(b),
  };
}

/** HDF5's (and numcodecs') byte shuffle: byte k of every element together. */
export function shuffleBytes(src: Uint8Array, elementSize: number): Uint8Array {
  if (elementSize <= 1) return src;
  const n = Math.floor(src.length / elementSize);
  const out = new Uint8Array(src.length);
  for (let k = 0; k < elementSize; k++) {
    const base = k * n;
    for (let i = 0; i < n; i++) out[base + i] = src[i * elementSize + k];
  }
  out.set(src.subarray(n * elementSize), n * elementSize); // leftover bytes stay at the end
  return out;
}

/** The inverse of `shuffleBytes`, into `into` when given (it must be as long as `src`). */
export function unshuffleBytes(
  src: Uint8Array,
  elementSize: number,
  into?: Uint8Array,
): Uint8Array {
  if (elementSize <= 1) return src;
  const n = Math.floor(src.length / elementSize);
  const out = into?.length === src.length ? into : new Uint8Array(src.length);
  if ((elementSize === 4 || elementSize === 2) && out.byteOffset % 4 === 0) {
    // Whole words at a time: a quarter (or half) of the byte stores.
    const b0 = src.subarray(0, n), b1 = src.subarray(n, 2 * n);
    if (elementSize === 2) {
      const w = new Uint16Array(out.buffer, out.byteOffset, n);
      for (let i = 0; i < n; i++) w[i] = b0[i] | (b1[i] << 8);
    } else {
      const b2 = src.subarray(2 * n, 3 * n), b3 = src.subarray(3 * n, 4 * n);
      const w = new Uint32Array(out.buffer, out.byteOffset, n);
      for (let i = 0; i < n; i++) w[i] = b0[i] | (b1[i] << 8) | (b2[i] << 16) | (b3[i] << 24);
    }
  } else {
    for (let k = 0; k < elementSize; k++) {
      const base = k * n;
      for (let i = 0; i < n; i++) out[i * elementSize + k] = src[base + i];
    }
  }
  out.set(src.subarray(n * elementSize), n * elementSize); // leftover bytes stay at the end
  return out;
}

/**
 * Decodes stored bytes natively (no wasm), undoing `codecs` in reverse order.
 * `scratch` (reused by the caller between chunks) receives the unshuffled bytes
 * when it has the right length, sparing an allocation per chunk.
 */
export async function decodeStored(
  codecs: readonly StoredCodec[],
  bytes: Uint8Array,
  scratch?: (length: number) => Uint8Array,
): Promise<Uint8Array> {
  let b = bytes;
  for (const c of [...codecs].reverse()) {
    switch (c.id) {
      case "shuffle":
        b = unshuffleBytes(b, c.elementSize, scratch?.(b.length));
        break;
      case "zlib":
        b = new Uint8Array(await inflate(b));
        break;
      case "zstd":
        b = new Uint8Array(await zstdDecompress(b));
        break;
      case "blosc":
        b = await lazyBlosc({}).decode(b);
        break;
    }
  }
  return b;
}
