/**
 * One array's pyramid levels: level k halves the horizontal axes k times. A chunk of level k is
 * made from level k-1's cells (kept in the cell cache), level 1's from the source's values, so
 * nothing is computed ahead and nothing below is read twice while it is kept.
 */
import { chunkRegion, product } from "../model/grid.ts";
import type { ArrayNode, Attributes, ChunkData, DataType } from "../model/types.ts";
import { bytesOf, fillElementBytes } from "../model/values.ts";
import { type Cells, emptyCells, placeCells, type Resampling } from "./cells.ts";
import { halve } from "./halving.ts";
import { cachedCells } from "./cell_cache.ts";
import { categoriesOf, halvedSource, resamplingOf } from "./source_cells.ts";

/** The horizontal chunk edge of levels 1 and up, and the size at which levels stop. */
export const TILE = 512;

/** Attributes that describe stored values, not the means a level holds. */
const PACKING = [
  "scale_factor",
  "add_offset",
  "_FillValue",
  "missing_value",
  "valid_range",
  "valid_min",
  "valid_max",
  "_Unsigned",
];

let pyramids = 0;

/** Levels 0..`levels` of `array`, whose axes `axes` are horizontal (level 0 is `array`). */
export function arrayLevels(
  array: ArrayNode,
  axes: readonly number[],
  levels: number,
): ArrayNode[] {
  const id = `p${++pyramids}`;
  const how = resamplingOf(array);
  const shapes = [array.shape];
  for (let k = 1; k <= levels; k++) {
    shapes.push(shapes[k - 1].map((n, i) => (axes.includes(i) ? Math.ceil(n / 2) : n)));
  }
  const chunksOf = (k: number) =>
    k === 0
      ? array.chunks
      : shapes[k].map((n, i) => (axes.includes(i) ? Math.min(TILE, Math.max(n, 1)) : 1));

  /** The cells of chunk `coords` of level k >= 1. */
  function chunkCells(k: number, coords: readonly number[]): Promise<Cells> {
    return cachedCells(`${id}|${k}|${coords}`, async () => {
      const { start, count } = chunkRegion(shapes[k], chunksOf(k), coords);
      const below = start.map((s, i) => (axes.includes(i) ? 2 * s : s));
      const belowCount = count.map((c, i) =>
        axes.includes(i) ? Math.min(2 * c, shapes[k - 1][i] - below[i]) : c
      );
      if (k === 1) return await halvedSource(id, array, below, belowCount, axes);
      return halve(await gathered(k - 1, below, belowCount), axes, how);
    });
  }

  /** The cells of a block of level k >= 1 that starts and ends on its chunk edges. */
  async function gathered(k: number, start: number[], count: number[]): Promise<Cells> {
    const chunks = chunksOf(k);
    const out = emptyCells(count, categoriesOf(array));
    const first = start.map((s, i) => Math.floor(s / chunks[i]));
    const n = count.map((c, i) => Math.ceil((start[i] + c) / chunks[i]) - first[i]);
    const parts = await Promise.all(
      Array.from({ length: product(n) }, (_, j) => {
        const coords = first.map((f, i) => f + Math.floor(j / product(n.slice(i + 1))) % n[i]);
        return chunkCells(k, coords).then((cells) => ({ coords, cells }));
      }),
    );
    for (const { coords, cells } of parts) {
      placeCells(cells, out, coords.map((c, i) => c * chunks[i] - start[i]));
    }
    return out;
  }

  const out: ArrayNode[] = [array];
  for (let k = 1; k <= levels; k++) {
    const chunks = chunksOf(k);
    const dtype: DataType = how === "mode"
      ? array.dtype
      : { kind: "float", size: array.dtype.kind === "float" && array.dtype.size === 8 ? 8 : 4 };
    const fillValue = how === "mode" ? array.fillValue : NaN;
    const level = k;
    out.push({
      kind: "array",
      shape: shapes[k],
      chunks,
      dtype,
      dims: array.dims,
      attrs: levelAttrs(array.attrs, how),
      floatAttrs: array.floatAttrs?.filter((a) => !PACKING.includes(a)),
      fillValue,
      async readChunk(coords): Promise<ChunkData> {
        const cells = await chunkCells(level, coords);
        return encodeCells(cells, chunks, dtype, fillValue);
      },
    });
  }
  return out;
}

function levelAttrs(attrs: Attributes, how: Resampling): Attributes {
  const kept: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (how === "mode" ? k !== "_FillValue" : !PACKING.includes(k)) kept[k] = v;
  }
  return kept;
}

/** Cells as a chunk of `dtype`, padded to `chunks` with the fill value. */
function encodeCells(
  cells: Cells,
  chunks: readonly number[],
  dtype: DataType,
  fillValue: ArrayNode["fillValue"],
): Uint8Array {
  const padded = emptyCells(chunks);
  placeCells(cells, padded, chunks.map(() => 0));
  const n = padded.values.length;
  const fill = fillElementBytes(dtype, fillValue);
  if (dtype.kind === "float") {
    const a = dtype.size === 8 ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = padded.counts[i] > 0 ? padded.values[i] : NaN;
    return bytesOf(a);
  }
  const size = fill.length;
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (padded.counts[i] === 0) out.set(fill, i * size);
    else writeInteger(view, i * size, dtype, padded.values[i]);
  }
  return out;
}

function writeInteger(view: DataView, at: number, dtype: DataType, v: number): void {
  if (dtype.kind === "bool") return view.setUint8(at, v ? 1 : 0);
  if (dtype.kind !== "int" && dtype.kind !== "uint") throw new Error("not an integer type");
  const signed = dtype.kind === "int";
  switch (dtype.size) {
    case 1:
      return signed ? view.setInt8(at, v) : view.setUint8(at, v);
    case 2:
      return signed ? view.setInt16(at, v, true) : view.setUint16(at, v, true);
    case 4:
      return signed ? view.setInt32(at, v, true) : view.setUint32(at, v, true);
    case 8:
      return signed
        ? view.setBigInt64(at, BigInt(v), true)
        : view.setBigUint64(at, BigInt(v), true);
  }
}
