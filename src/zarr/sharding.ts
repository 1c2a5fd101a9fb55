/**
 * Zarr v3 `sharding_indexed`: many inner chunks travel as one object, with an
 * index at the end that clients read with a suffix Range request.
 */
import { gridShape, growChunks, itemSize, product, unravel } from "../model/grid.ts";
import type { ArrayNode } from "../model/types.ts";

/** Index entries of an absent inner chunk: both offset and length are 2^64-1. */
const EMPTY = 0xffffffffffffffffn;

/** The shard shape for `array`: whole inner chunks, about `targetBytes` decoded. */
export function shardShape(array: ArrayNode, targetBytes: number): number[] {
  return growChunks(array.shape, array.chunks, itemSize(array.dtype) || 16, targetBytes);
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
    const coords = unravel(j, inner).map((c, d) => shardCoords[d] * inner[d] + c);
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
