/**
 * Halving blocks of cells along the horizontal axes: a cell of the level above is the
 * count-weighted mean of the ≤ 2^h cells it covers, or for categories the category covering the
 * most source values (summed histograms: exact, not a mode of modes; ties to the smallest).
 */
import { type Cells, cellsOf, emptyCells, type Resampling, strides } from "./cells.ts";

/**
 * Source values halved along `axes` at once, without their cells in between (level 1 of the
 * common case, where the cells of a whole source block would be the largest allocation).
 * `valueAt` is NaN where a value is missing.
 */
export function halveValues(
  shape: readonly number[],
  valueAt: (i: number) => number,
  axes: readonly number[],
  how: Resampling,
  categories?: readonly number[],
): Cells {
  if (how !== "mean" || !lastTwo(shape, axes)) {
    return halve(cellsOf(shape, valueAt, categories), axes, how);
  }
  // The loop of meansOfQuarters again, on source values: one closure shape per loop keeps V8's
  // calls monomorphic (sharing the loop took the climate_small walk from 2.6 to 4.1 s).
  const rank = shape.length;
  const [ny, nx] = shape.slice(rank - 2);
  const [my, mx] = [Math.ceil(ny / 2), Math.ceil(nx / 2)];
  const outer = shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  const out = emptyCells([...shape.slice(0, rank - 2), my, mx]);
  for (let o = 0; o < outer; o++) {
    const inBase = o * ny * nx, outBase = o * my * mx;
    for (let y = 0; y < my; y++) {
      const r0 = inBase + 2 * y * nx;
      const r1 = 2 * y + 1 < ny ? r0 + nx : -1;
      for (let x = 0; x < mx; x++) {
        let n = 0, sum = 0;
        const add = (k: number) => {
          const v = valueAt(k);
          if (v === v) {
            n++;
            sum += v;
          }
        };
        const i = r0 + 2 * x;
        const right = 2 * x + 1 < nx;
        add(i);
        if (right) add(i + 1);
        if (r1 >= 0) {
          add(r1 + 2 * x);
          if (right) add(r1 + 2 * x + 1);
        }
        if (n) {
          out.values[outBase + y * mx + x] = sum / n;
          out.counts[outBase + y * mx + x] = n;
        }
      }
    }
  }
  return out;
}

const lastTwo = (shape: readonly number[], axes: readonly number[]) =>
  shape.length >= 2 && axes.length === 2 && axes[0] === shape.length - 2 &&
  axes[1] === shape.length - 1;

/** Halves `cells` along `axes` (odd edges keep their last cell alone). */
export function halve(cells: Cells, axes: readonly number[], how: Resampling): Cells {
  if (how === "mean" && lastTwo(cells.shape, axes)) return meansOfQuarters(cells);
  const rank = cells.shape.length;
  const outShape = cells.shape.map((n, i) => (axes.includes(i) ? Math.ceil(n / 2) : n));
  const out = emptyCells(outShape, cells.categories);
  const inStrides = strides(cells.shape);
  const outStrides = strides(outShape);
  const total = out.values.length;
  const k = cells.categories?.length ?? 0;
  // The input offsets one output cell covers, relative to its first input cell.
  const corners: number[][] = [[]];
  for (const ax of axes) {
    for (const c of [...corners]) corners.push([...c, ax]);
  }
  const idx = new Array<number>(rank).fill(0);
  const sums = new Map<number, number>();
  for (let o = 0; o < total; o++) {
    let rest = o;
    for (let d = 0; d < rank; d++) {
      idx[d] = Math.floor(rest / outStrides[d]);
      rest -= idx[d] * outStrides[d];
    }
    let base = 0;
    for (let d = 0; d < rank; d++) base += (axes.includes(d) ? 2 * idx[d] : idx[d]) * inStrides[d];
    let count = 0, sum = 0;
    sums.clear();
    for (const corner of corners) {
      let at = base, inside = true;
      for (const ax of corner) {
        if (2 * idx[ax] + 1 >= cells.shape[ax]) inside = false;
        at += inStrides[ax];
      }
      if (!inside) continue;
      const c = cells.counts[at];
      if (c === 0) continue;
      count += c;
      if (cells.hist) {
        for (let j = 0; j < k; j++) out.hist![o * k + j] += cells.hist[at * k + j];
      } else if (how === "mean") sum += cells.values[at] * c;
      else sums.set(cells.values[at], (sums.get(cells.values[at]) ?? 0) + c);
    }
    if (count === 0) continue;
    out.counts[o] = count;
    out.values[o] = cells.hist
      ? mostOf(cells.categories!, out.hist!, o * k)
      : how === "mean"
      ? sum / count
      : modeOf(sums);
  }
  return out;
}

/** Halves the last two axes of `cells`: each output cell the count-weighted mean of the ≤ 4 it covers. */
function meansOfQuarters(cells: Cells): Cells {
  const { shape, values: v, counts: c } = cells;
  const rank = shape.length;
  const [ny, nx] = shape.slice(rank - 2);
  const [my, mx] = [Math.ceil(ny / 2), Math.ceil(nx / 2)];
  const outer = shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  const out = emptyCells([...shape.slice(0, rank - 2), my, mx]);
  for (let o = 0; o < outer; o++) {
    const inBase = o * ny * nx, outBase = o * my * mx;
    for (let y = 0; y < my; y++) {
      const r0 = inBase + 2 * y * nx;
      const r1 = 2 * y + 1 < ny ? r0 + nx : -1;
      for (let x = 0; x < mx; x++) {
        let n = 0, sum = 0;
        const add = (k: number) => {
          const w = c[k];
          if (w) {
            n += w;
            sum += v[k] * w;
          }
        };
        const i = r0 + 2 * x;
        const right = 2 * x + 1 < nx;
        add(i);
        if (right) add(i + 1);
        if (r1 >= 0) {
          add(r1 + 2 * x);
          if (right) add(r1 + 2 * x + 1);
        }
        if (n) {
          out.values[outBase + y * mx + x] = sum / n;
          out.counts[outBase + y * mx + x] = n;
        }
      }
    }
  }
  return out;
}

/** The category with the most source values in one cell's histogram (ties: the first). */
function mostOf(categories: readonly number[], hist: Float32Array, at: number): number {
  let best = 0;
  for (let j = 1; j < categories.length; j++) if (hist[at + j] > hist[at + best]) best = j;
  return categories[best];
}

/** The value weighing most (ties: the smallest): categories not known ahead. */
function modeOf(weights: Map<number, number>): number {
  let best = NaN, most = -1;
  for (const [v, w] of weights) {
    if (w > most || (w === most && v < best)) [best, most] = [v, w];
  }
  return best;
}
