/**
 * Every codec by name, the one place that maps a stored codec (model terms) to its module, and
 * the one native decoder of stored chunk bytes.
 */
import type { StoredCodec } from "../model/types.ts";
import { bloscCodec } from "./blosc.ts";
import type { Codec } from "./codec.ts";
import { gzipCodec } from "./gzip.ts";
import { shuffleCodec } from "./shuffle.ts";
import { zlibCodec } from "./zlib.ts";
import { zstdCodec } from "./zstd.ts";

/** A chunk compressor a store is configured with (a codec with no filter role). */
export type Compressor = Codec;

const none: Codec = {
  name: "none",
  spec: "none",
  v2: null,
  v3: null,
  encode: (b) => Promise.resolve(b),
  decode: (b) => Promise.resolve(b),
};

/** Compressor factories by name; the number is the level (default per codec). */
export const COMPRESSORS: Record<string, (level?: number) => Compressor> = {
  zstd: (level = 1) => zstdCodec(level),
  zlib: (level = 1) => zlibCodec(level),
  gzip: (level = 1) => gzipCodec(level),
  // numcodecs.js compresses with typesize 1, so the byte shuffle is declared as such.
  blosc: (level = 5) => bloscCodec({ cname: "lz4", clevel: level, shuffle: 1, typesize: 1 }),
  none: () => none,
};

/** The default: zstd level 1, measured fastest of the codecs every client decodes. */
export const DEFAULT_CODEC = "zstd";

/** Parses "name" or "name:level" (e.g. "zlib:5") into a compressor. */
export function compressorFromSpec(spec: string): Compressor {
  const [name, levelText] = spec.split(":");
  const make = COMPRESSORS[name];
  if (!make) {
    throw new Error(
      `unknown codec "${name}"; choose one of ${Object.keys(COMPRESSORS).join(", ")}`,
    );
  }
  const level = levelText === undefined ? undefined : Number(levelText);
  if (level !== undefined && !Number.isInteger(level)) {
    throw new Error(`codec level must be an integer, got "${levelText}"`);
  }
  return make(level);
}

/** The codec module of a stored codec (an HDF5 filter with a Zarr equivalent). */
export function storedCodec(c: StoredCodec): Codec {
  switch (c.id) {
    case "shuffle":
      return shuffleCodec(c.elementSize);
    case "zlib":
      return zlibCodec(c.level);
    case "zstd":
      return zstdCodec(c.level);
    case "blosc":
      return bloscCodec(c);
  }
}

/** Whether a stored codec compresses (the last one of a v2 chain is its `compressor`). */
export function isCompressor(c: StoredCodec): boolean {
  return c.id !== "shuffle";
}

/**
 * Decodes stored bytes natively (no wasm but blosc), undoing `codecs` in reverse order.
 * `scratch` (reused by the caller between chunks) receives the unshuffled bytes when it has the
 * right length, sparing an allocation per chunk.
 */
export async function decodeStored(
  codecs: readonly StoredCodec[],
  bytes: Uint8Array,
  scratch?: (length: number) => Uint8Array,
): Promise<Uint8Array> {
  let b = bytes;
  for (const c of [...codecs].reverse()) b = await storedCodec(c).decode(b, scratch);
  return b;
}

/** Encodes decoded bytes with `codecs`, in order: what the writer did. */
export async function encodeStored(
  codecs: readonly StoredCodec[],
  bytes: Uint8Array,
): Promise<Uint8Array> {
  let b = bytes;
  for (const c of codecs) b = await storedCodec(c).encode(b);
  return b;
}
