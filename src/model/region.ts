/** Chunks from region reads: the region a chunk covers, padded with the fill value at the edges. */
import { chunkRegion, itemSize, padChunk } from "./grid.ts";
import type { ChunkData, DataType, FillValue } from "./types.ts";
import { fillElementBytes } from "./values.ts";

/** Reads any block (unpadded, C order) over an array's shape. */
export type RegionReader = (
  start: readonly number[],
  count: readonly number[],
) => ChunkData | Promise<ChunkData>;

/** Reads one chunk: its region, padded with the fill value at the array's edges. */
export function chunkReader(
  read: RegionReader,
  dtype: DataType,
  shape: readonly number[],
  chunks: readonly number[],
  fillValue: FillValue,
): (coords: readonly number[]) => Promise<ChunkData> {
  const elem = itemSize(dtype);
  const fill: ChunkData = dtype.kind === "string"
    ? [typeof fillValue === "string" ? fillValue : ""]
    : fillElementBytes(dtype, fillValue);
  return async (coords) => {
    const { start, count } = chunkRegion(shape, chunks, coords);
    const data = await read(start, count);
    return Array.isArray(data)
      ? padChunk(data, count, chunks, fill as string[], 1)
      : padChunk(data, count, chunks, fill as Uint8Array, elem);
  };
}
