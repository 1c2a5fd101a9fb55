/** Level 0 of a pyramid: a source array's values as cells, unpacked, with invalid values left out. */
import { chunkRegion, itemSize, product } from "../model/grid.ts";
import type { ArrayNode, AttrValue, ChunkData } from "../model/types.ts";
import { cfDecoder, elementsOf } from "../model/cf_decode.ts";
import type { Cells, Resampling } from "./cells.ts";
import { halveValues } from "./halving.ts";
import { cachedSourceChunk } from "./cell_cache.ts";

/** Categories (flag values, integer masks without packing) take the mode; the rest the mean. */
export function resamplingOf(array: ArrayNode): Resampling {
  const a = array.attrs;
  if ("flag_values" in a || "flag_masks" in a || "flag_meanings" in a) return "mode";
  const packed = "scale_factor" in a || "add_offset" in a;
  return array.dtype.kind === "float" || packed ? "mean" : "mode";
}

/**
 * The categories a mode is counted over exactly: a flag variable's `flag_values` (at most 256);
 * other categories are not known ahead, and take the weighted mode of the level below.
 */
export function categoriesOf(array: ArrayNode): number[] | undefined {
  if (resamplingOf(array) !== "mode") return undefined;
  const flags = numbers(array.attrs.flag_values);
  if (flags.length === 0 || flags.length > 256) return undefined;
  return [...new Set(flags)].sort((a, b) => a - b);
}

const numbers = (v: AttrValue | undefined): number[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is number => typeof x === "number");

/**
 * `start`..`count` of `array` halved along `axes` (level 1's cells); `id` names the array's
 * pyramid.
 */
export async function halvedSource(
  id: string,
  array: ArrayNode,
  start: readonly number[],
  count: readonly number[],
  axes: readonly number[],
): Promise<Cells> {
  const bytes = await regionBytes(id, array, start, count);
  const get = elementsOf(array.dtype, bytes);
  const { decode } = cfDecoder(array);
  const how = resamplingOf(array);
  return halveValues(count, (i) => decode(get(i)), axes, how, categoriesOf(array));
}

/**
 * A block's bytes, assembled from the source's chunks, each decoded once while it is kept: the
 * level-1 chunks of neighbouring time steps share them.
 */
async function regionBytes(
  id: string,
  array: ArrayNode,
  start: readonly number[],
  count: readonly number[],
): Promise<Uint8Array> {
  const elem = itemSize(array.dtype);
  const out = new Uint8Array(product(count) * elem);
  const first = start.map((s, i) => Math.floor(s / array.chunks[i]));
  const last = start.map((s, i) => Math.floor((s + count[i] - 1) / array.chunks[i]));
  const coords = [...first];
  for (;;) {
    const at = [...coords];
    const data = await cachedSourceChunk(
      `${id}|${at}`,
      async () => asBytes(await array.readChunk(at), array),
    );
    const region = chunkRegion(array.shape, array.chunks, coords);
    // The overlap of this chunk with the block, copied from the chunk into the block.
    const lo = region.start.map((s, i) => Math.max(s, start[i]));
    const hi = region.start.map((s, i) => Math.min(s + region.count[i], start[i] + count[i]));
    copyOverlap(data, array.chunks, region.start, out, count, start, lo, hi, elem);
    let d = coords.length - 1;
    while (d >= 0 && coords[d] === last[d]) {
      coords[d] = first[d];
      d--;
    }
    if (d < 0) break;
    coords[d]++;
  }
  return out;
}

/**
 * Copies rows `lo`..`hi` (absolute indices) from a padded chunk whose block starts at `chunkStart`
 * into a block of shape `count` starting at `start`, a row at a time.
 */
function copyOverlap(
  chunk: Uint8Array,
  chunks: readonly number[],
  chunkStart: readonly number[],
  out: Uint8Array,
  count: readonly number[],
  start: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  elem: number,
): void {
  const rank = count.length;
  const inStrides = chunks.map((_, i) => product(chunks.slice(i + 1)));
  const outStrides = count.map((_, i) => product(count.slice(i + 1)));
  const span = hi.map((h, i) => h - lo[i]);
  const rows = product(span.slice(0, -1));
  const row = (span.at(-1) ?? 1) * elem;
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < rows; r++) {
    let from = 0, to = 0;
    for (let d = 0; d < rank; d++) {
      from += (lo[d] - chunkStart[d] + idx[d]) * inStrides[d];
      to += (lo[d] - start[d] + idx[d]) * outStrides[d];
    }
    out.set(chunk.subarray(from * elem, from * elem + row), to * elem);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < span[d]) break;
      idx[d] = 0;
    }
  }
}

function asBytes(data: ChunkData, array: ArrayNode): Uint8Array {
  if (Array.isArray(data)) throw new Error(`${array.dims.join(",")}: text cannot be coarsened`);
  return data;
}
