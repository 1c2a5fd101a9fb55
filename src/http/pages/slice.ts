/**
 * Values of a variable for a picture, read from its own chunks: only the chunks that hold the
 * elements drawn, decoded as xarray decodes them (model/cf_decode.ts).
 */
import { cfDecoder, elementsOf } from "../../model/cf_decode.ts";
import { gridShape, itemSize, product } from "../../model/grid.ts";
import type { ArrayNode, ChunkData } from "../../model/types.ts";
import { MissingChunkError } from "../../model/types.ts";

/** Decoded bytes one quick-look may read before it is refused (413). */
export const MAX_READ_BYTES = 512 << 20;

/** Thrown when a slice would read more than `MAX_READ_BYTES`. */
export class TooLargeError extends Error {
  /** Names the error in logs. */
  override name = "TooLargeError";
}

/** One axis of a slice: which indices are drawn (start, stride, count). */
export interface Axis {
  start: number;
  stride: number;
  count: number;
}

/** What a slice read touched. */
export interface ReadStats {
  chunks: number;
  bytes: number;
}

/** Reads a chunk's decoded data, or null when it is absent (all fill). */
export type ChunkSource = (coords: readonly number[]) => Promise<ChunkData | null>;

/** A chunk source over `array.readChunk` (absent chunks as null). */
export function chunkSource(array: ArrayNode): ChunkSource {
  return async (coords) => {
    try {
      return await array.readChunk(coords);
    } catch (e) {
      if (e instanceof MissingChunkError) return null;
      throw e;
    }
  };
}

/**
 * The decoded values at `fixed` indices (one per axis, ignored where `axes` has an entry) and
 * along the drawn axes, in C order over the drawn axes.
 */
export async function readSlice(
  array: ArrayNode,
  read: ChunkSource,
  fixed: readonly number[],
  axes: ReadonlyMap<number, Axis>,
): Promise<{ values: Float64Array; stats: ReadStats }> {
  const nd = array.shape.length;
  const drawn = [...axes.keys()].sort((a, b) => a - b);
  const counts = drawn.map((d) => axes.get(d)!.count);
  const values = new Float64Array(product(counts)).fill(NaN);
  // The chunk coordinates each axis needs, and which drawn positions fall in each chunk.
  const perAxis: Map<number, number[]>[] = [];
  for (let d = 0; d < nd; d++) {
    const m = new Map<number, number[]>();
    const ax = axes.get(d);
    if (!ax) m.set(Math.floor(fixed[d] / array.chunks[d]), [-1]);
    else {
      for (let k = 0; k < ax.count; k++) {
        const c = Math.floor((ax.start + k * ax.stride) / array.chunks[d]);
        (m.get(c) ?? m.set(c, []).get(c)!).push(k);
      }
    }
    perAxis.push(m);
  }
  const chunkCount = perAxis.reduce((n, m) => n * m.size, 1);
  const chunkBytes = product(array.chunks) * itemSize(array.dtype);
  if (chunkCount * chunkBytes > MAX_READ_BYTES) {
    throw new TooLargeError(
      `this picture needs ${chunkCount} chunks (${(chunkCount * chunkBytes / 2 ** 20).toFixed(0)}` +
        ` MiB decoded); a quick-look reads at most ${MAX_READ_BYTES / 2 ** 20} MiB`,
    );
  }
  const { decode, plain } = cfDecoder(array);
  const grid = gridShape(array.shape, array.chunks);
  const strides = array.chunks.map((_, d) => product(array.chunks.slice(d + 1)));
  const outStrides = counts.map((_, i) => product(counts.slice(i + 1)));
  const combos: number[][] = [[]];
  for (const m of perAxis) {
    const next: number[][] = [];
    for (const c of combos) for (const k of m.keys()) next.push([...c, k]);
    combos.splice(0, combos.length, ...next);
  }
  let bytes = 0;
  // A few chunks at a time: enough to overlap reads and decodes, bounded in memory.
  const queue = combos.filter((c) => c.every((x, d) => x < grid[d]));
  const worker = async () => {
    for (let coords = queue.shift(); coords; coords = queue.shift()) {
      const data = await read(coords);
      if (!data) continue;
      bytes += Array.isArray(data) ? 0 : data.byteLength;
      const get = elementsOf(array.dtype, data);
      // Walk every drawn position inside this chunk.
      const lists = coords.map((c, d) => perAxis[d].get(c)!);
      const walk = (d: number, inChunk: number, out: number, di: number): void => {
        const ax = axes.get(d);
        const base = coords[d] * array.chunks[d];
        if (d === nd - 1) {
          // The innermost axis: one tight loop per run of elements.
          if (!ax) return store(inChunk + fixed[d] - base, out);
          for (const k of lists[d]) store(inChunk + ax.start + k * ax.stride - base, out + k);
          return;
        }
        if (!ax) return walk(d + 1, inChunk + (fixed[d] - base) * strides[d], out, di);
        for (const k of lists[d]) {
          const idx = ax.start + k * ax.stride - base;
          walk(d + 1, inChunk + idx * strides[d], out + k * outStrides[di], di + 1);
        }
      };
      const store = plain
        ? (at: number, out: number): void => {
          values[out] = get(at);
        }
        : (at: number, out: number): void => {
          values[out] = decode(get(at));
        };
      if (nd === 0) values[0] = decode(get(0));
      else walk(0, 0, 0, 0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
  return { values, stats: { chunks: chunkCount, bytes } };
}
