/**
 * zarrita reading a 100-chunk variable through the v3 view, unsharded vs
 * sharded: HTTP requests made and wall time (median of 5 runs each).
 */
import * as zarr from "zarrita";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { serve } from "../server.ts";

const side = 10, chunk = 64;
const n = side * chunk;
const ds = memoryDataset("grid", {
  dims: { y: n, x: n },
  variables: {
    v: {
      dims: ["y", "x"],
      data: Float32Array.from({ length: n * n }, (_, i) => Math.sin(i / 97)),
      chunks: [chunk, chunk],
    },
  },
});

async function measure(
  shardBytes?: number,
  coalesce = false,
): Promise<{ requests: number; ms: number }> {
  const controller = new AbortController();
  let base = "";
  const server = serve([ds], {
    port: 0,
    shardBytes,
    signal: controller.signal,
    onListen: (u) => (base = u),
  });
  const times: number[] = [];
  let requests = 0;
  for (let run = 0; run < 5; run++) {
    let count = 0;
    const inner = new zarr.FetchStore(`${base}/grid`);
    const counted: zarr.AsyncReadable = {
      get: (k, o) => (count++, inner.get(k, o)),
      getRange: (k, r, o) => (count++, inner.getRange!(k, r, o)),
    };
    const store = coalesce ? zarr.withRangeCoalescing(counted) : counted;
    const t0 = performance.now();
    const arr = await zarr.open.v3(zarr.root(store).resolve("v"), { kind: "array" });
    await zarr.get(arr);
    times.push(performance.now() - t0);
    requests = count;
  }
  controller.abort();
  await server.finished;
  times.sort((a, b) => a - b);
  return { requests, ms: times[2] };
}

const plain = await measure();
const sharded = await measure(16 << 20);
const coalesced = await measure(16 << 20, true);
console.log(`100 chunks of ${chunk}x${chunk} float32, zarrita v3, zstd, loopback:`);
console.log(`  unsharded: ${plain.requests} requests, ${plain.ms.toFixed(1)} ms`);
console.log(`  sharded:   ${sharded.requests} requests, ${sharded.ms.toFixed(1)} ms`);
console.log(
  `  sharded, zarrita withRangeCoalescing: ${coalesced.requests} requests, ` +
    `${coalesced.ms.toFixed(1)} ms`,
);
