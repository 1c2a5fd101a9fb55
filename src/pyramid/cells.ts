/**
 * The arithmetic of pyramid levels: blocks of cells, each the mean (or most frequent value) of the
 * valid source values it covers and how many those are, halved along the horizontal axes. Carrying
 * the counts makes a level made from the level below equal the mean over the source itself.
 */

/** A C-order block of cells. */
export interface Cells {
  /** Block shape. */
  readonly shape: readonly number[];
  /** Each cell's value: a mean, or a category (NaN where no valid value is covered). */
  readonly values: Float64Array;
  /** How many valid source values each cell stands for (0: none). */
  readonly counts: Float32Array;
}

/** How a level's cell is made from the cells it covers. */
export type Resampling = "mean" | "mode";

/** Source values as cells: one count per valid value, NaN and zero elsewhere. */
export function cellsOf(
  shape: readonly number[],
  values: ArrayLike<number>,
  valid: (v: number) => boolean,
  unpack?: (v: number) => number,
): Cells {
  const n = values.length;
  const out = new Float64Array(n);
  const counts = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (valid(v)) {
      out[i] = unpack ? unpack(v) : v;
      counts[i] = 1;
    } else out[i] = NaN;
  }
  return { shape, values: out, counts };
}

/** An empty block of `shape` (no valid values). */
export function emptyCells(shape: readonly number[]): Cells {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: new Float64Array(n).fill(NaN), counts: new Float32Array(n) };
}

/**
 * Halves `cells` along `axes` (odd edges keep their last cell alone): each output cell the
 * count-weighted mean of the cells it covers, or for "mode" the value covering most source
 * values (ties: the smallest).
 */
export function halve(cells: Cells, axes: readonly number[], how: Resampling): Cells {
  const rank = cells.shape.length;
  const outShape = cells.shape.map((n, i) => (axes.includes(i) ? Math.ceil(n / 2) : n));
  const out = emptyCells(outShape);
  const inStrides = strides(cells.shape);
  const outStrides = strides(outShape);
  const total = out.values.length;
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
      const v = cells.values[at];
      count += c;
      if (how === "mean") sum += v * c;
      else sums.set(v, (sums.get(v) ?? 0) + c);
    }
    if (count === 0) continue;
    out.counts[o] = count;
    out.values[o] = how === "mean" ? sum / count : modeOf(sums);
  }
  return out;
}

function modeOf(weights: Map<number, number>): number {
  let best = NaN, most = -1;
  for (const [v, w] of weights) {
    if (w > most || (w === most && v < best)) [best, most] = [v, w];
  }
  return best;
}

/** C-order strides, in elements. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Copies `src` into `dst` at offset `at` (both C-order blocks). */
export function placeCells(src: Cells, dst: Cells, at: readonly number[]): void {
  const rank = src.shape.length;
  const ss = strides(src.shape), ds = strides(dst.shape);
  const n = src.values.length;
  for (let i = 0; i < n; i++) {
    let rest = i, o = 0;
    for (let d = 0; d < rank; d++) {
      const k = Math.floor(rest / ss[d]);
      rest -= k * ss[d];
      o += (k + at[d]) * ds[d];
    }
    dst.values[o] = src.values[i];
    dst.counts[o] = src.counts[i];
  }
}
