/**
 * New chunk shapes over any dataset whose arrays read by region: per-dimension
 * overrides, or coalescing many small stored chunks into larger Zarr chunks
 * for files chunked too finely for HTTP.
 */
import { chunkRegion, growChunks, itemSize, padChunk } from "../../model/grid.ts";
import type { ArrayNode, ChunkData, Dataset, GroupNode, Node } from "../../model/types.ts";
import { fillElementBytes } from "../../model/values.ts";

function mapArrays(
  group: GroupNode,
  fn: (a: ArrayNode, path: string) => ArrayNode,
  path = "",
): GroupNode {
  const children = new Map<string, Node>();
  for (const [name, node] of group.children) {
    const p = path ? `${path}/${name}` : name;
    children.set(name, node.kind === "group" ? mapArrays(node, fn, p) : fn(node, p));
  }
  return { ...group, children };
}

/** `array` served with chunk shape `chunks`, read by region; unchanged if it cannot be. */
export function withChunks(array: ArrayNode, chunks: readonly number[]): ArrayNode {
  const readRegion = array.readRegion;
  if (!readRegion || chunks.join() === array.chunks.join()) return array;
  const elem = itemSize(array.dtype);
  const fill: ChunkData = array.dtype.kind === "string"
    ? [typeof array.fillValue === "string" ? array.fillValue : ""]
    : fillElementBytes(array.dtype, array.fillValue);
  return {
    ...array,
    chunks,
    stored: undefined, // stored chunks no longer line up with the Zarr chunks
    async readChunk(coords) {
      const { start, count } = chunkRegion(array.shape, chunks, coords);
      const data = await readRegion.call(array, start, count);
      return Array.isArray(data)
        ? padChunk(data, count, chunks, fill as string[], 1)
        : padChunk(data, count, chunks, fill as Uint8Array, elem);
    },
  };
}

/** Overrides chunk sizes by dimension name, e.g. `{ time: 24 }`, wherever arrays can be read by region. */
export function rechunk(dataset: Dataset, sizes: Record<string, number>): Dataset {
  for (const [dim, n] of Object.entries(sizes)) {
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new Error(`chunk size for "${dim}" must be >= 1, got ${n}`);
    }
  }
  const root = mapArrays(dataset.root, (a) => {
    const chunks = a.dims.map((d, i) => Math.min(sizes[d] ?? a.chunks[i], Math.max(a.shape[i], 1)));
    return withChunks(a, chunks);
  });
  return { ...dataset, root, version: `${dataset.version}+rechunk${JSON.stringify(sizes)}` };
}

/** Grows each array's chunks (whole stored chunks at a time) to about `targetBytes`. */
export function coalesce(dataset: Dataset, targetBytes: number): Dataset {
  const root = mapArrays(
    dataset.root,
    (a) =>
      a.shape.length === 0
        ? a
        : withChunks(a, growChunks(a.shape, a.chunks, itemSize(a.dtype) || 16, targetBytes)),
  );
  return { ...dataset, root, version: `${dataset.version}+coalesce${targetBytes}` };
}
