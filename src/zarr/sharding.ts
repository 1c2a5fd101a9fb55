/**
 * Zarr v3 `sharding_indexed`: many inner chunks travel as one object, with an
 * index at the end that clients read with a suffix Range request.
 */
import { gridShape, growChunks, itemSize, product, unravel } from "../model/grid.ts";
import type { ArrayNode, StoredSpan } from "../model/types.ts";

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

/** An inner chunk of a shard: its size, and how to put its bytes at `at` of the shard. */
export interface InnerPart {
  readonly size: number;
  writeInto(out: Uint8Array, at: number): Promise<void> | void;
}

/** An inner chunk already in memory. */
export function bytesPart(bytes: Uint8Array): InnerPart {
  return { size: bytes.length, writeInto: (out, at) => out.set(bytes, at) };
}

/** A stored inner chunk, read into a kept buffer and copied into place (no fresh buffer each). */
export function spanPart(span: StoredSpan): InnerPart {
  return {
    size: span.size,
    writeInto: async (out, at) => {
      if (span.lend) await span.lend(0, span.size, (b) => out.set(b, at));
      else out.set(await span.read(0, span.size), at);
    },
  };
}

/**
 * Builds one shard: each inner chunk (C order) from `inner`, or marked empty when it lies
 * outside the array or `inner` returns null; then the index of (offset, nbytes) uint64 pairs,
 * little-endian, at the end. Sizes come first, so the shard is allocated once and filled.
 */
export async function buildShard(
  array: ArrayNode,
  shard: readonly number[],
  shardCoords: readonly number[],
  inner: (coords: number[]) => Promise<InnerPart | null>,
): Promise<Uint8Array> {
  const counts = shard.map((s, i) => s / array.chunks[i]);
  const grid = gridShape(array.shape, array.chunks);
  const n = product(counts);
  const parts: (InnerPart | null)[] = [];
  for (let j = 0; j < n; j++) {
    const coords = unravel(j, counts).map((c, d) => shardCoords[d] * counts[d] + c);
    parts.push(coords.every((c, d) => c < grid[d]) ? await inner(coords) : null);
  }
  const dataBytes = parts.reduce((s, p) => s + (p?.size ?? 0), 0);
  const out = new Uint8Array(dataBytes + n * 16);
  const index = new DataView(out.buffer, dataBytes, n * 16);
  let at = 0;
  for (let j = 0; j < n; j++) {
    const p = parts[j];
    if (!p) {
      index.setBigUint64(j * 16, EMPTY, true);
      index.setBigUint64(j * 16 + 8, EMPTY, true);
      continue;
    }
    await p.writeInto(out, at);
    index.setBigUint64(j * 16, BigInt(at), true);
    index.setBigUint64(j * 16 + 8, BigInt(p.size), true);
    at += p.size;
  }
  return out;
}
