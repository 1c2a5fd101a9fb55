/** Shards built from inner parts: sizes first, one allocation, each part put in its place. */
import assert from "node:assert/strict";
import { buildShard, bytesPart, spanPart } from "../src/zarr/sharding.ts";
import type { ArrayNode, StoredSpan } from "../src/model/types.ts";

Deno.test("unit buildShard: stored parts through one reused buffer land whole, the index says where", async () => {
  const array = { shape: [6], chunks: [2] } as unknown as ArrayNode;
  const lent = new Uint8Array(16); // one buffer for every read, as the kept read buffers are
  const span = (bytes: number[]): StoredSpan => ({
    size: bytes.length,
    read: () => Promise.reject(new Error("read through lend")),
    async lend(offset, length, use) {
      lent.set(bytes.slice(offset, offset + length));
      const out = await use(lent.subarray(0, length));
      lent.fill(0xee); // the next read
      return out;
    },
  });
  const parts = [spanPart(span([1, 2, 3])), null, bytesPart(new Uint8Array([9, 8]))];
  // a shard of 4 inner chunks; the 4th lies outside the array (6 / 2 = 3 chunks)
  const shard = await buildShard(array, [8], [0], (c) => Promise.resolve(parts[c[0]] ?? null));
  assert.deepEqual([...shard.subarray(0, 5)], [1, 2, 3, 9, 8]);
  const index = new DataView(shard.buffer, 5);
  const entry = (
    j: number,
  ) => [index.getBigUint64(j * 16, true), index.getBigUint64(j * 16 + 8, true)];
  assert.deepEqual(entry(0), [0n, 3n]);
  assert.deepEqual(entry(1), [2n ** 64n - 1n, 2n ** 64n - 1n]);
  assert.deepEqual(entry(2), [3n, 2n]);
  assert.deepEqual(entry(3), [2n ** 64n - 1n, 2n ** 64n - 1n]);
  assert.equal(shard.length, 5 + 4 * 16);
});
