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

/**
 * Source values halved along `axes` at once, without their cells in between (level 1 of the
 * common case, where the cells of a whole source block would be the largest allocation).
 */
export function halveValues(
  shape: readonly number[],
  values: ArrayLike<number>,
  valid: (v: number) => boolean,
  axes: readonly number[],
  how: Resampling,
  unpack?: (v: number) => number,
): Cells {
  const rank = shape.length;
  if (
    how !== "mean" || rank < 2 || axes.length !== 2 || axes[0] !== rank - 2 || axes[1] !== rank - 1
  ) {
    return halve(cellsOf(shape, values, valid, unpack), axes, how);
  }
  return meansOfQuarters(
    shape,
    (k) => (valid(values[k]) ? 1 : 0),
    unpack ? (k) => unpack(values[k]) : (k) => values[k],
  );
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
  if (
    how === "mean" && rank >= 2 && axes.length === 2 && axes[0] === rank - 2 && axes[1] === rank - 1
  ) {
    return halveLastTwo(cells);
  }
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

/** `halve` of means over the last two axes, the common case, in plain loops. */
function halveLastTwo(cells: Cells): Cells {
  const { values: v, counts: c } = cells;
  return meansOfQuarters(cells.shape, (k) => c[k], (k) => v[k]);
}

/**
 * Halves the last two axes of a block of `shape`: each output cell the mean of the ≤ 4 it covers,
 * cell k weighing `weight(k)` (0: left out) with value `value(k)`.
 */
function meansOfQuarters(
  shape: readonly number[],
  weight: (k: number) => number,
  value: (k: number) => number,
): Cells {
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
          const w = weight(k);
          if (w) {
            n += w;
            sum += value(k) * w;
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
  if (rank === 0) {
    dst.values[0] = src.values[0];
    dst.counts[0] = src.counts[0];
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
  }
}
