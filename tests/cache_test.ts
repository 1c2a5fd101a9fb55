/** The byte-bounded cache of encoded chunks and shards. */
import assert from "node:assert/strict";
import { byteCache } from "../src/zarr/cache.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { withServer } from "./helpers.ts";

Deno.test("LRU within its byte budget, one build for concurrent callers", async () => {
  const cache = byteCache(100);
  let builds = 0;
  const build = (n: number) => () => {
    builds++;
    return Promise.resolve(new Uint8Array(n));
  };
  const [a, b] = await Promise.all([cache.get("a", build(40)), cache.get("a", build(40))]);
  assert.equal(a, b);
  assert.equal(builds, 1, "concurrent requests share one build");
  await cache.get("b", build(40));
  await cache.get("a", build(40)); // a is now the most recent
  await cache.get("c", build(40)); // evicts b, the least recent
  assert.ok(cache.size <= 100);
  builds = 0;
  await cache.get("a", build(40));
  await cache.get("b", build(40));
  assert.equal(builds, 1, "a stayed, b was evicted");
  await cache.get("big", build(500));
  assert.ok(cache.size <= 100, "an object over the budget is not kept");
});

/** A one-variable dataset `m` whose chunk reads are counted. */
function countedDataset(): { ds: Dataset; reads: () => number; reset: () => void } {
  const base = memoryDataset("m", {
    dims: { x: 8 },
    variables: { v: { dims: ["x"], data: new Float32Array(8), chunks: [4] } },
  });
  const v = base.root.children.get("v") as ArrayNode;
  let reads = 0;
  const counted: ArrayNode = { ...v, readChunk: (c) => (reads++, v.readChunk(c)) };
  const ds: Dataset = { ...base, root: { ...base.root, children: new Map([["v", counted]]) } };
  return { ds, reads: () => reads, reset: () => (reads = 0) };
}

Deno.test("a chunk encoded once is served from the cache, unless the cache is off", async () => {
  const { ds, reads, reset } = countedDataset();
  for (const [cacheBytes, want] of [[undefined, 1], [0, 3]] as const) {
    reset();
    await withServer(
      [ds],
      async (url) => {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${url}/m/v/1`);
          await res.arrayBuffer();
        }
      },
      undefined,
      { cacheBytes },
    );
    assert.equal(reads(), want, `cacheBytes ${cacheBytes}`);
  }
});

Deno.test("a revalidation with a matching ETag reads nothing", async () => {
  const { ds, reads } = countedDataset();
  await withServer(
    [ds],
    async (url) => {
      const first = await fetch(`${url}/m/v/0`);
      await first.arrayBuffer();
      const etag = first.headers.get("etag")!;
      const again = await fetch(`${url}/m/v/0`, { headers: { "if-none-match": etag } });
      await again.body?.cancel();
      assert.equal(again.status, 304);
      assert.equal(reads(), 1, "only the first request read the chunk");
    },
    undefined,
    { cacheBytes: 0 },
  );
});
