/**
 * How one array's chunks are encoded and declared: the store's compressor, or,
 * for arrays whose stored chunks pass through untouched, the codecs they were
 * stored with (HDF5 filters mapped to their Zarr equivalents).
 */
import type { ArrayNode, ChunkData } from "../model/types.ts";
import { type Compressor, encodeStored, isCompressor, storedCodec } from "../codecs/registry.ts";
import { encodeVlenUtf8 } from "../codecs/vlen_utf8.ts";
import type { V3CodecJson } from "./metadata.ts";

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
  v3: V3CodecJson[];
  /** Values to the bytes a client decodes with the declared codecs. */
  encode(data: ChunkData): Promise<Uint8Array>;
}

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
    const hasCompressor = last !== undefined && isCompressor(last);
    const v2 = (c: typeof last) => storedCodec(c).v2!;
    const filters = (hasCompressor ? codecs.slice(0, -1) : codecs).map(v2);
    return {
      passthrough: true,
      v2Filters: filters.length ? filters : null,
      v2Compressor: hasCompressor ? v2(last) : null,
      v3: codecs.map((c) => storedCodec(c).v3!),
      encode: (data) => encodeStored(codecs, Array.isArray(data) ? encodeVlenUtf8(data) : data),
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
