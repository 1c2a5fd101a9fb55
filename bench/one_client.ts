/** One client reading every chunk of a variable in turn: chunks/s and MB/s. */
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { findNode } from "../src/model/tree.ts";
import { gridShape, product, unravel } from "../src/model/grid.ts";
import type { ArrayNode } from "../src/model/types.ts";
import { serve } from "../server.ts";

const [path, variable = "t2m", codec = "zstd", passthrough = "auto"] = Deno.args;
if (!path) {
  console.error("usage: deno run -A bench/one_client.ts FILE [VARIABLE] [CODEC] [PASSTHROUGH]");
  Deno.exit(2);
}
const ds = await openHdf5(path, { name: "bench" });
const array = findNode(ds.root, variable) as ArrayNode;
const grid = gridShape(array.shape, array.chunks);
const controller = new AbortController();
let base = "";
const server = serve([ds], {
  port: 0,
  codec,
  passthrough: passthrough as "auto" | "all" | "off",
  signal: controller.signal,
  onListen: (u) => (base = u),
});
const keys: string[] = [];
for (let i = 0; i < product(grid); i++) keys.push(unravel(i, grid).join("."));
const limit = Math.min(keys.length, Number(Deno.env.get("BENCH_MAX_CHUNKS") ?? 400));
let bytes = 0;
const t0 = performance.now();
for (const key of keys.slice(0, limit)) {
  const res = await fetch(`${base}/bench/${variable}/${key}`);
  bytes += (await res.arrayBuffer()).byteLength;
}
const s = (performance.now() - t0) / 1000;
const decoded = limit * product(array.chunks) * 4;
console.log(
  `${variable} (--codec ${codec} --passthrough ${passthrough}): ${limit} chunks in ${
    s.toFixed(2)
  } s = ${(limit / s).toFixed(1)} chunks/s, ` +
    `${(bytes / 1e6 / s).toFixed(1)} MB/s on the wire, ${
      (decoded / 1e6 / s).toFixed(1)
    } MB/s decoded; ` +
    `peak RSS ${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
controller.abort();
await server.finished;
