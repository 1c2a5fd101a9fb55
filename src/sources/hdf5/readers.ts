/**
 * Reading a dataset's values in model form: regions through h5wasm (or from
 * stored bytes for what HDF5 cannot convert), chunks padded with our fill,
 * and decoded chunks natively from stored bytes when the codecs allow.
 */
import type { Dataset as H5Dataset, Metadata } from "h5wasm/node";
import { chunkRegion, extractBlock, itemSize, padChunk, product } from "../../model/grid.ts";
import { decodedChunk } from "../../codecs/stored_chunk.ts";
import {
  type ChunkData,
  type DataType,
  type FillValue,
  type StoredChunks,
  UnavailableError,
} from "../../model/types.ts";
import { fillElementBytes } from "../../model/values.ts";
import { type H5File, type H5Module, hdf5Reason } from "./module.ts";
import type { MappedType } from "./type_map.ts";

import type { RegionReader } from "../../model/region.ts";

/**
 * Regions through h5wasm's hyperslab reads, converted to model bytes. An
 * array-typed dataset's trailing axes are read whole and cut when asked for less.
 */
export function h5RegionReader(
  m: H5Module,
  file: { handle: () => H5File; verify: () => void },
  path: string,
  meta: Metadata,
  mapped: MappedType,
): RegionReader {
  const rank = meta.shape!.length;
  if (mapped.dtype.kind === "string") {
    return (start, count) => {
      const ds = file.handle().get(path) as H5Dataset;
      if (rank === 0) {
        const value = [String(ds.value ?? "")];
        file.verify();
        return value;
      }
      let values: string[];
      try {
        values = ds.slice(start.map((s, i) => [s, s + count[i]])) as string[];
      } catch (e) {
        file.verify();
        throw e;
      }
      file.verify();
      return values.map((s) => s ?? "");
    };
  }
  const convert = mapped.convert(!mapped.swappedByHdf5);
  return (start, count) => {
    const h5start = start.slice(0, rank), h5count = count.slice(0, rank);
    const n = product(h5count);
    const nbytes = n * meta.size;
    if (nbytes === 0) return new Uint8Array(0);
    const ptr = m._malloc(nbytes);
    if (!ptr) throw new Error(`out of wasm memory reading ${nbytes} bytes of ${path}`);
    let raw: Uint8Array;
    try {
      const id = file.handle().file_id;
      const big = (xs: readonly number[]) => xs.map(BigInt);
      if (rank === 0) m.get_dataset_data(id, path, null, null, null, BigInt(ptr));
      else {
        m.get_dataset_data(
          id,
          path,
          big(h5count),
          big(h5start),
          big(h5count.map(() => 1)),
          BigInt(ptr),
        );
      }
      raw = m.HEAPU8.slice(ptr, ptr + nbytes);
      file.verify();
    } catch (e) {
      file.verify(); // a file changed under the read is a 503, not an HDF5 error
      if (e instanceof UnavailableError) throw e;
      throw new Error(`${path}: ${hdf5Reason(e)}`);
    } finally {
      m._free(ptr);
    }
    const bytes = convert ? convert(raw, n) : raw;
    return trailing(bytes, mapped, h5count, start.slice(rank), count.slice(rank));
  };
}

/** Cuts the asked-for part of whole trailing (array-type) axes. */
function trailing(
  bytes: Uint8Array,
  mapped: MappedType,
  h5count: readonly number[],
  start: readonly number[],
  count: readonly number[],
): Uint8Array {
  const extra = mapped.extraShape;
  if (extra.length === 0 || count.every((c, i) => c === extra[i])) return bytes;
  const shape = [...h5count, ...extra];
  return extractBlock(
    bytes,
    shape,
    [...h5count.map(() => 0), ...start],
    [...h5count, ...count],
    itemSize(mapped.dtype),
  );
}

/** Regions from the stored bytes (file byte order), swapped and packed here. */
export function storedRegionModel(
  read: (start: readonly number[], count: readonly number[]) => Promise<Uint8Array>,
  rank: number,
  mapped: MappedType,
): RegionReader {
  const convert = mapped.convert(true);
  return async (start, count) => {
    const h5count = count.slice(0, rank);
    const raw = await read(start.slice(0, rank), h5count);
    const bytes = convert ? convert(raw, product(h5count)) : raw;
    return trailing(bytes, mapped, h5count, start.slice(rank), count.slice(rank));
  };
}

/**
 * Decoded chunks from the stored bytes through native codecs (about twice as
 * fast as h5wasm's wasm filters), falling back to `decodeChunk` for anything
 * else. Edge chunks are re-padded so the padding is our fill value, not HDF5's.
 */
export function nativeFirst(
  stored: StoredChunks,
  decodeChunk: (coords: readonly number[]) => Promise<ChunkData>,
  dtype: DataType,
  shape: readonly number[],
  chunks: readonly number[],
  fillValue: FillValue,
): (coords: readonly number[]) => Promise<ChunkData> {
  const elem = itemSize(dtype);
  const length = product(chunks) * elem;
  const fill = fillElementBytes(dtype, fillValue);
  return async (coords) => {
    const raw = await decodedChunk(stored, coords, length);
    if (!raw) return decodeChunk(coords);
    const { count } = chunkRegion(shape, chunks, coords);
    if (count.every((c, i) => c === chunks[i])) return raw;
    const inside = extractBlock(raw, chunks, chunks.map(() => 0), count, elem);
    return padChunk(inside, count, chunks, fill, elem);
  };
}
