/** The byte shuffle: HDF5's filter 2, numcodecs' `shuffle`, `numcodecs.shuffle` in v3. */
import type { Codec } from "./codec.ts";

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

/** The shuffle of `elementSize`-byte elements, in JS (no wasm, no copy when decoding `into`). */
export function shuffleCodec(elementSize: number): Codec {
  return {
    name: "shuffle",
    spec: `shuffle:${elementSize}`,
    v2: { id: "shuffle", elementsize: elementSize },
    v3: { name: "numcodecs.shuffle", configuration: { elementsize: elementSize } },
    encode: (b) => Promise.resolve(shuffleBytes(b, elementSize)),
    decode: (b, into) => Promise.resolve(unshuffleBytes(b, elementSize, into?.(b.length))),
  };
}
