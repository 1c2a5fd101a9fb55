/**
 * Zarr v3 `sharding_indexed`: many inner chunks travel as one object, with an
 * index at the end that clients read with a suffix Range request.
 */
import { gridShape, itemSize, product } from "../model/grid.ts";
import type { ArrayNode } from "../model/types.ts";

/** Index entries of an absent inner chunk: both offset and length are 2^64-1. */
const EMPTY = 0xffffffffffffffffn;

/**
 * The shard shape for `array`: whole inner chunks, grown one axis at a time
 * (the axis with fewest chunks per shard first) while the shard's decoded size
 * stays within `targetBytes` and inside the array's grid.
 */
export function shardShape(array: ArrayNode, targetBytes: number): number[] {
  const grid = gridShape(array.shape, array.chunks);
  const per = array.chunks.map(() => 1);
  const chunkBytes = product(array.chunks) * (itemSize(array.dtype) || 16); // strings: a guess
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
  return per.map((k, i) => k * array.chunks[i]);
}

/** Whether sharding with this shape groups more than one inner chunk. */
export function isSharded(array: ArrayNode, shard: readonly number[]): boolean {
  return shard.some((s, i) => s !== array.chunks[i]);
}

/**
 * Builds one shard: each inner chunk (C order) encoded by `encodeInner`, or
 * marked empty when it lies outside the array or `encodeInner` returns null;
 * then the index of (offset, nbytes) uint64 pairs, little-endian, at the end.
 */
export async function buildShard(
  array: ArrayNode,
  shard: readonly number[],
  shardCoords: readonly number[],
  encodeInner: (coords: number[]) => Promise<Uint8Array | null>,
): Promise<Uint8Array> {
  const inner = shard.map((s, i) => s / array.chunks[i]);
  const grid = gridShape(array.shape, array.chunks);
  const n = product(inner);
  const parts: (Uint8Array | null)[] = [];
  for (let j = 0; j < n; j++) {
    let rest = j;
    const coords = inner.map(() => 0);
    for (let d = inner.length - 1; d >= 0; d--) {
      coords[d] = shardCoords[d] * inner[d] + (rest % inner[d]);
      rest = Math.floor(rest / inner[d]);
    }
    parts.push(coords.every((c, d) => c < grid[d]) ? await encodeInner(coords) : null);
  }
  const dataBytes = parts.reduce((s, p) => s + (p?.length ?? 0), 0);
  const out = new Uint8Array(dataBytes + n * 16);
  const index = new DataView(out.buffer, dataBytes, n * 16);
  let at = 0;
  parts.forEach((p, j) => {
    if (!p) {
      index.setBigUint64(j * 16, EMPTY, true);
      index.setBigUint64(j * 16 + 8, EMPTY, true);
      return;
    }
    out.set(p, at);
    index.setBigUint64(j * 16, BigInt(at), true);
    index.setBigUint64(j * 16 + 8, BigInt(p.length), true);
    at += p.length;
  });
  return out;
}
