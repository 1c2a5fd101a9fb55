/**
 * Blocks of pyramid cells: each cell the mean (or most frequent value) of the valid source values
 * it covers and how many those are; for categories, how many of each. Carrying the counts makes a
 * level made from the level below equal the same over the source itself (halving.ts).
 */

/** A C-order block of cells. */
export interface Cells {
  /** Block shape. */
  readonly shape: readonly number[];
  /** Each cell's value: a mean, or a category (NaN where no valid value is covered). */
  readonly values: Float64Array;
  /** How many valid source values each cell stands for (0: none). */
  readonly counts: Float32Array;
  /** For categories: how many source values of each of `categories` a cell covers (cell-major). */
  readonly hist?: Float32Array;
  /** The categories `hist` counts, ascending. */
  readonly categories?: readonly number[];
}

/** How a level's cell is made from the cells it covers. */
export type Resampling = "mean" | "mode";

/**
 * Source values as cells: one count per value, none where `valueAt` is NaN (missing), and for
 * `categories` a histogram per cell.
 */
export function cellsOf(
  shape: readonly number[],
  valueAt: (i: number) => number,
  categories?: readonly number[],
): Cells {
  const out = emptyCells(shape, categories);
  const index = new Map(categories?.map((c, i) => [c, i]));
  const k = categories?.length ?? 0;
  for (let i = 0; i < out.values.length; i++) {
    const v = valueAt(i);
    if (v !== v) continue;
    if (out.hist) {
      const at = index.get(v);
      if (at === undefined) continue; // CF: a flag variable holds its flag values only
      out.hist[i * k + at] = 1;
    }
    out.values[i] = v;
    out.counts[i] = 1;
  }
  return out;
}

/** An empty block of `shape` (no valid values), with histograms over `categories` if given. */
export function emptyCells(shape: readonly number[], categories?: readonly number[]): Cells {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    shape,
    values: new Float64Array(n).fill(NaN),
    counts: new Float32Array(n),
    ...(categories ? { categories, hist: new Float32Array(n * categories.length) } : {}),
  };
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
  if (rank === 0) {
    dst.values[0] = src.values[0];
    dst.counts[0] = src.counts[0];
    if (src.hist && dst.hist) dst.hist.set(src.hist);
    return;
  }
  const ss = strides(src.shape), ds = strides(dst.shape);
  const row = src.shape[rank - 1];
  const rows = src.values.length / Math.max(row, 1);
  for (let r = 0; r < rows; r++) {
    const i = r * row;
    let rest = i, o = 0;
    for (let d = 0; d < rank; d++) {
      const k = Math.floor(rest / ss[d]);
      rest -= k * ss[d];
      o += (k + at[d]) * ds[d];
    }
    dst.values.set(src.values.subarray(i, i + row), o);
    dst.counts.set(src.counts.subarray(i, i + row), o);
    if (src.hist && dst.hist) {
      const k = src.categories!.length;
      dst.hist.set(src.hist.subarray(i * k, (i + row) * k), o * k);
    }
  }
}
