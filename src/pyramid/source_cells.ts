/** Level 0 of a pyramid: a source array's values as cells, unpacked, with invalid values left out. */
import { chunkRegion, copyBlock, itemSize, product } from "../model/grid.ts";
import type { ArrayNode, AttrValue, ChunkData } from "../model/types.ts";
import { typedView } from "../model/values.ts";
import type { Cells, Resampling } from "./cells.ts";
import { halveValues } from "./halving.ts";
import { cachedSourceChunk } from "./cell_cache.ts";

/** Whether an array's values can be coarsened: numbers (and booleans), not text or records. */
export function coarsenable(array: ArrayNode): boolean {
  return ["int", "uint", "float", "bool"].includes(array.dtype.kind);
}

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
  const typed = typedView(array.dtype, bytes);
  const values: ArrayLike<number> = typed instanceof BigInt64Array ||
      typed instanceof BigUint64Array
    ? Array.from(typed, Number)
    : typed as ArrayLike<number>;
  const invalid = new Set<number>([
    ...numbers(array.fillValue as AttrValue),
    ...numbers(array.attrs.missing_value),
    ...numbers(array.attrs._FillValue),
  ]);
  const [a = NaN, b = NaN, ...more] = invalid;
  const valid = more.length
    ? (v: number) => v === v && !invalid.has(v)
    : (v: number) => v === v && v !== a && v !== b;
  const scale = numbers(array.attrs.scale_factor)[0] ?? 1;
  const offset = numbers(array.attrs.add_offset)[0] ?? 0;
  const unpack = scale !== 1 || offset !== 0 ? (v: number) => v * scale + offset : undefined;
  const how = resamplingOf(array);
  return halveValues(count, values, valid, axes, how, unpack, categoriesOf(array));
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
    const part = extract(data, array.chunks, lo.map((l, i) => l - region.start[i]), lo, hi, elem);
    copyBlock(part, hi.map((h, i) => h - lo[i]), out, count, lo.map((l, i) => l - start[i]), elem);
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

function extract(
  chunk: Uint8Array,
  chunks: readonly number[],
  at: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  elem: number,
): Uint8Array {
  const count = hi.map((h, i) => h - lo[i]);
  const out = new Uint8Array(product(count) * elem);
  const strides = chunks.map((_, i) => product(chunks.slice(i + 1)));
  const n = product(count.slice(0, -1));
  const row = (count.at(-1) ?? 1) * elem;
  const idx = new Array<number>(count.length).fill(0);
  for (let r = 0; r < n; r++) {
    let from = 0;
    for (let d = 0; d < count.length; d++) from += (at[d] + idx[d]) * strides[d];
    out.set(chunk.subarray(from * elem, from * elem + row), r * row);
    for (let d = count.length - 2; d >= 0; d--) {
      if (++idx[d] < count[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function asBytes(data: ChunkData, array: ArrayNode): Uint8Array {
  if (Array.isArray(data)) throw new Error(`${array.dims.join(",")}: text cannot be coarsened`);
  return data;
}
