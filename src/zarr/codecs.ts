/**
 * Compressors, as a registry from name to a small module (the zarrita habit):
 * each knows its v2 and v3 metadata and encodes bytes off the main thread
 * through node:zlib's thread pool.
 */
import zlib from "node:zlib";
import { promisify } from "node:util";
import { lazyBlosc } from "../model/stored.ts";

/** A chunk compressor as published in Zarr metadata. */
export interface Compressor {
  /** The codec's name: zstd, zlib, gzip, blosc or none. */
  readonly name: string;
  /** "name:level", as `compressorFromSpec` takes it (so a worker can rebuild it). */
  readonly spec: string;
  /** The v2 `.zarray` `compressor` object (numcodecs config), or null. */
  readonly v2: Record<string, unknown> | null;
  /** The v3 codec entry after `bytes`, or null for none. */
  readonly v3: { name: string; configuration: Record<string, unknown> } | null;
  /** Compresses one chunk's bytes. */
  encode(bytes: Uint8Array): Promise<Uint8Array>;
  /** Decompresses what `encode` made. */
  decode(bytes: Uint8Array): Promise<Uint8Array>;
}

const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);
const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);
const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

const asBytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function zstd(level: number): Compressor {
  return {
    name: "zstd",
    spec: `zstd:${level}`,
    v2: { id: "zstd", level },
    v3: { name: "zstd", configuration: { level, checksum: false } },
    encode: async (b) =>
      asBytes(
        // numcodecs reads the content size from the frame header; a stream writes it only when pledged.
        await zstdCompress(b, {
          pledgedSrcSize: b.length,
          params: { [zlib.constants.ZSTD_c_compressionLevel]: level },
        } as zlib.ZstdOptions),
      ),
    decode: async (b) => asBytes(await zstdDecompress(b)),
  };
}

function zlibCodec(level: number): Compressor {
  return {
    name: "zlib",
    spec: `zlib:${level}`,
    v2: { id: "zlib", level },
    v3: { name: "numcodecs.zlib", configuration: { level } },
    encode: async (b) => asBytes(await deflate(b, { level })),
    decode: async (b) => asBytes(await inflate(b)),
  };
}

function gzipCodec(level: number): Compressor {
  return {
    name: "gzip",
    spec: `gzip:${level}`,
    v2: { id: "gzip", level },
    v3: { name: "gzip", configuration: { level } },
    encode: async (b) => asBytes(await gzip(b, { level })),
    decode: async (b) => asBytes(await gunzip(b)),
  };
}

function bloscCodec(clevel: number): Compressor {
  // numcodecs.js compresses with typesize 1, so the byte shuffle is declared as such.
  const codec = lazyBlosc({ cname: "lz4", clevel, shuffle: 1 });
  return {
    name: "blosc",
    spec: `blosc:${clevel}`,
    v2: { id: "blosc", cname: "lz4", clevel, shuffle: 1, blocksize: 0 },
    v3: {
      name: "blosc",
      configuration: { cname: "lz4", clevel, shuffle: "shuffle", typesize: 1, blocksize: 0 },
    },
    encode: async (b) => asBytes(await codec.encode(b)),
    decode: async (b) => asBytes(await codec.decode(b)),
  };
}

const none: Compressor = {
  name: "none",
  spec: "none",
  v2: null,
  v3: null,
  encode: (b) => Promise.resolve(b),
  decode: (b) => Promise.resolve(b),
};

/** Compressor factories by name; the number is the level (default per codec). */
export const COMPRESSORS: Record<string, (level?: number) => Compressor> = {
  zstd: (level = 1) => zstd(level),
  zlib: (level = 1) => zlibCodec(level),
  gzip: (level = 1) => gzipCodec(level),
  blosc: (level = 5) => bloscCodec(level),
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

const encoder = new TextEncoder();

/** numcodecs' vlen-utf8 layout: item count, then each item's length and UTF-8 bytes. */
export function encodeVlenUtf8(items: readonly string[]): Uint8Array {
  const parts = items.map((s) => encoder.encode(s));
  const total = 4 + parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length, true);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}
