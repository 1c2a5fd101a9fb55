/**
 * How one array's chunks are encoded and declared: the store's compressor, or,
 * for arrays whose stored chunks pass through untouched, the codecs they were
 * stored with (HDF5 filters mapped to their Zarr equivalents).
 */
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { ArrayNode, ChunkData, StoredCodec } from "../model/types.ts";
import { type Compressor, encodeVlenUtf8 } from "./codecs.ts";
import { lazyBlosc, shuffleBytes } from "../model/stored.ts";

export { decodeStored, shuffleBytes, unshuffleBytes } from "../model/stored.ts";

/**
 * Which arrays serve their stored chunk bytes untouched: "all" of those that
 * can; "compat" only those whose codecs every client decodes (GDAL before
 * 3.11 lacks the shuffle filter); "off" none (every chunk is decoded by the
 * source). "auto", the server's default, serves each client the view it can
 * read ("all", or "compat" for old GDAL); a single store takes it as "compat".
 */
export type PassThrough = "auto" | "all" | "compat" | "off";

/** Codecs that zarr-python 2.13, xarray, zarrita and GDAL 3.6 all decode. */
const UNIVERSAL = new Set(["zlib", "zstd", "blosc"]);

/** An array's codec chain in v2 and v3 terms, and the encoder that matches it. */
export interface ChunkEncoding {
  /** Stored chunk bytes are served as they are. */
  passthrough: boolean;
  /** `.zarray` `filters` (null for none). */
  v2Filters: Record<string, unknown>[] | null;
  /** `.zarray` `compressor`. */
  v2Compressor: Record<string, unknown> | null;
  /** v3 bytes->bytes codecs, after the array->bytes codec. */
  v3: Record<string, unknown>[];
  /** Values to the bytes a client decodes with the declared codecs. */
  encode(data: ChunkData): Promise<Uint8Array>;
}

const deflate = promisify(zlib.deflate);
const zstdCompress = promisify(zlib.zstdCompress);

const BLOSC_SHUFFLE = ["noshuffle", "shuffle", "bitshuffle"];

function storedV2(c: StoredCodec): Record<string, unknown> {
  switch (c.id) {
    case "shuffle":
      return { id: "shuffle", elementsize: c.elementSize };
    case "zlib":
      return { id: "zlib", level: c.level };
    case "zstd":
      return { id: "zstd", level: c.level };
    case "blosc":
      return { id: "blosc", cname: c.cname, clevel: c.clevel, shuffle: c.shuffle, blocksize: 0 };
  }
}

function storedV3(c: StoredCodec): Record<string, unknown> {
  switch (c.id) {
    case "shuffle":
      return { name: "numcodecs.shuffle", configuration: { elementsize: c.elementSize } };
    case "zlib":
      return { name: "numcodecs.zlib", configuration: { level: c.level } };
    case "zstd":
      return { name: "zstd", configuration: { level: c.level, checksum: false } };
    case "blosc":
      return {
        name: "blosc",
        configuration: {
          cname: c.cname,
          clevel: c.clevel,
          shuffle: BLOSC_SHUFFLE[c.shuffle] ?? "noshuffle",
          typesize: c.typesize,
          blocksize: 0,
        },
      };
  }
}

async function applyStored(c: StoredCodec, b: Uint8Array): Promise<Uint8Array> {
  switch (c.id) {
    case "shuffle":
      return shuffleBytes(b, c.elementSize);
    case "zlib":
      return new Uint8Array(await deflate(b, { level: c.level }));
    case "zstd":
      return new Uint8Array(
        await zstdCompress(b, {
          pledgedSrcSize: b.length,
          params: { [zlib.constants.ZSTD_c_compressionLevel]: c.level },
        } as zlib.ZstdOptions),
      );
    case "blosc": {
      const codec = lazyBlosc({
        cname: c.cname,
        clevel: c.clevel,
        shuffle: c.shuffle as 0 | 1 | 2,
      });
      return await codec.encode(b);
    }
  }
}

const COMPRESSORS = new Set(["zlib", "zstd", "blosc"]);

/** Whether `array`'s stored chunks are served as they are under `mode`. */
export function passesThrough(array: ArrayNode, mode: PassThrough): boolean {
  const stored = array.stored;
  if (!stored || mode === "off") return false;
  return mode === "all" || stored.codecs.every((c) => UNIVERSAL.has(c.id)); // auto, compat
}

/** The encoding of `array`'s chunks in a store whose compressor is `compressor`. */
export function encodingOf(
  array: ArrayNode,
  compressor: Compressor,
  mode: PassThrough = "auto",
): ChunkEncoding {
  const stored = array.stored;
  if (stored && passesThrough(array, mode)) {
    const codecs = [...stored.codecs];
    const last = codecs[codecs.length - 1];
    const hasCompressor = last !== undefined && COMPRESSORS.has(last.id);
    const filters = (hasCompressor ? codecs.slice(0, -1) : codecs).map(storedV2);
    return {
      passthrough: true,
      v2Filters: filters.length ? filters : null,
      v2Compressor: hasCompressor ? storedV2(last) : null,
      v3: codecs.map(storedV3),
      async encode(data) {
        let b = Array.isArray(data) ? encodeVlenUtf8(data) : data;
        for (const c of codecs) b = await applyStored(c, b);
        return b;
      },
    };
  }
  return {
    passthrough: false,
    v2Filters: array.dtype.kind === "string" ? [{ id: "vlen-utf8" }] : null,
    v2Compressor: compressor.v2,
    v3: compressor.v3 ? [compressor.v3] : [],
    encode: (data) => compressor.encode(Array.isArray(data) ? encodeVlenUtf8(data) : data),
  };
}
