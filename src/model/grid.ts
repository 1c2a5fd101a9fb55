/** Chunk-grid arithmetic shared by every source and view. */
import type { ArrayNode, DataType } from "./types.ts";

/** Bytes per element of a fixed-size type; 0 for vlen strings. */
export function itemSize(dtype: DataType): number {
  switch (dtype.kind) {
    case "bool":
      return 1;
    case "string":
      return 0;
    case "struct":
      return dtype.fields.reduce((n, f) => n + itemSize(f.type) * product(f.shape ?? []), 0);
    default:
      return dtype.size;
  }
}

/** Product of the entries (1 for a 0-d shape). */
export function product(xs: readonly number[]): number {
  let n = 1;
  for (const x of xs) n *= x;
  return n;
}

/** Number of chunks along each axis. */
export function gridShape(shape: readonly number[], chunks: readonly number[]): number[] {
  return shape.map((n, i) => Math.ceil(n / chunks[i]));
}

/** Whether `coords` names a chunk inside the grid of `array`. */
export function inGrid(array: ArrayNode, coords: readonly number[]): boolean {
  if (coords.length !== array.shape.length) return false;
  const grid = gridShape(array.shape, array.chunks);
  return coords.every((c, i) => Number.isInteger(c) && c >= 0 && c < grid[i]);
}

/** The region of the array that chunk `coords` covers, clipped at the edges. */
export function chunkRegion(
  shape: readonly number[],
  chunks: readonly number[],
  coords: readonly number[],
): { start: number[]; count: number[] } {
  const start = coords.map((c, i) => c * chunks[i]);
  const count = start.map((s, i) => Math.min(chunks[i], shape[i] - s));
  return { start, count };
}

/**
 * Copies a C-order block of shape `count` into a block of shape `outer` at
 * offset `at`. Works for any element size; the innermost run is one memcpy.
 */
export function copyBlock<T extends Uint8Array | unknown[]>(
  src: T,
  count: readonly number[],
  dst: T,
  outer: readonly number[],
  at: readonly number[],
  elemSize: number,
): void {
  const rank = count.length;
  if (rank === 0) {
    copyRun(src, 0, dst, 0, elemSize);
    return;
  }
  if (product(count) === 0) return;
  const run = count[rank - 1] * elemSize;
  const strides = new Array<number>(rank);
  strides[rank - 1] = elemSize;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * outer[i + 1];
  const idx = new Array<number>(rank - 1).fill(0);
  const rows = product(count.slice(0, -1));
  for (let r = 0; r < rows; r++) {
    let off = at[rank - 1] * elemSize;
    for (let i = 0; i < rank - 1; i++) off += (idx[i] + at[i]) * strides[i];
    copyRun(src, r * run, dst, off, run);
    for (let i = rank - 2; i >= 0; i--) {
      if (++idx[i] < count[i]) break;
      idx[i] = 0;
    }
  }
}

function copyRun<T extends Uint8Array | unknown[]>(
  src: T,
  from: number,
  dst: T,
  to: number,
  n: number,
): void {
  if (src instanceof Uint8Array) {
    (dst as Uint8Array).set(src.subarray(from, from + n), to);
  } else {
    for (let i = 0; i < n; i++) (dst as unknown[])[to + i] = src[from + i];
  }
}

/** A buffer of `n` elements, each set to the `fill` element bytes. */
export function filledBytes(n: number, fill: Uint8Array): Uint8Array {
  const out = new Uint8Array(n * fill.length);
  if (fill.every((b) => b === 0)) return out;
  out.set(fill, 0);
  // Doubling copy: log2(n) memcpy calls instead of n.
  for (let filled = fill.length; filled < out.length; filled *= 2) {
    out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
  }
  return out;
}

/**
 * Pads an edge chunk read at its clipped size `count` out to the full chunk
 * shape; returns `data` unchanged when nothing is clipped.
 */
export function padChunk<T extends Uint8Array | string[]>(
  data: T,
  count: readonly number[],
  chunks: readonly number[],
  fill: T,
  elemSize: number,
): T {
  if (count.every((c, i) => c === chunks[i])) return data;
  const n = product(chunks);
  const out = data instanceof Uint8Array
    ? filledBytes(n, fill as Uint8Array)
    : new Array<string>(n).fill((fill as string[])[0] ?? "");
  copyBlock(data, count, out as T, chunks, count.map(() => 0), elemSize);
  return out as T;
}

/**
 * A chunk shape for an unchunked array: whole trailing dimensions, and as many
 * leading indices as fit in `targetBytes` (one chunk when the array is small).
 */
export function autoChunks(
  shape: readonly number[],
  elemSize: number,
  targetBytes = 4 << 20,
): number[] {
  const chunks = [...shape];
  for (let i = 0; i < shape.length; i++) {
    const inner = product(shape.slice(i + 1)) * Math.max(elemSize, 1);
    if (inner * shape[i] <= targetBytes) break;
    chunks[i] = Math.max(1, Math.floor(targetBytes / inner));
    if (inner <= targetBytes) break;
    chunks[i] = 1;
  }
  return chunks.map((c) => Math.max(c, 1));
}

/** The C-order block at `start` of size `count` out of a whole array of `shape`. */
export function extractBlock<T extends Uint8Array | unknown[]>(
  src: T,
  shape: readonly number[],
  start: readonly number[],
  count: readonly number[],
  elemSize: number,
): T {
  const n = product(count) * elemSize;
  const out = (src instanceof Uint8Array ? new Uint8Array(n) : new Array(n)) as T;
  const rank = shape.length;
  if (rank === 0) {
    copyRun(src, 0, out, 0, elemSize);
    return out;
  }
  if (n === 0) return out;
  const run = count[rank - 1] * elemSize;
  const strides = new Array<number>(rank);
  strides[rank - 1] = elemSize;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const idx = new Array<number>(rank - 1).fill(0);
  const rows = product(count.slice(0, -1));
  for (let r = 0; r < rows; r++) {
    let off = start[rank - 1] * elemSize;
    for (let i = 0; i < rank - 1; i++) off += (idx[i] + start[i]) * strides[i];
    copyRun(src, off, out, r * run, run);
    for (let i = rank - 2; i >= 0; i--) {
      if (++idx[i] < count[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/**
 * A larger chunk shape made of whole `chunks`: grown one axis at a time (the
 * axis with the fewest chunks per block first, doubling) while the block's
 * size stays within `targetBytes` and inside the array's grid.
 */
export function growChunks(
  shape: readonly number[],
  chunks: readonly number[],
  elemSize: number,
  targetBytes: number,
): number[] {
  const grid = gridShape(shape, chunks);
  const per = chunks.map(() => 1);
  const chunkBytes = product(chunks) * elemSize;
  for (;;) {
    const order = per.map((k, i) => [k, i]).filter(([k, i]) => k < grid[i])
      .sort((a, b) => a[0] - b[0]);
    const grown = order.find(([, i]) => {
      const next = [...per];
      next[i] = Math.min(per[i] * 2, grid[i]);
      return product(next) * chunkBytes <= targetBytes;
    });
    if (!grown) break;
    per[grown[1]] = Math.min(per[grown[1]] * 2, grid[grown[1]]);
  }
  return per.map((k, i) => k * chunks[i]);
}

/** The grid coordinates of the `i`-th chunk in C order. */
export function unravel(i: number, grid: readonly number[]): number[] {
  const coords = grid.map(() => 0);
  for (let d = grid.length - 1; d >= 0; d--) {
    coords[d] = i % grid[d];
    i = Math.floor(i / grid[d]);
  }
  return coords;
}
