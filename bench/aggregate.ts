/** Opening 1,000 files as one aggregated dataset: time and RSS (metadata only). */
import { aggregate } from "../src/sources/virtual/aggregate.ts";
import type { ArrayNode } from "../src/model/types.ts";
import { writeMonthlyFiles } from "../tests/fixtures.ts";

const n = Number(Deno.args[0] ?? 1000);
const dir = await Deno.makeTempDir({ prefix: "zarrflask-agg-" });
try {
  const t0 = performance.now();
  const files = await writeMonthlyFiles(dir, n);
  console.log(`wrote ${n} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rss0 = Deno.memoryUsage().rss;
  const t1 = performance.now();
  const ds = await aggregate(files, { name: "clim" });
  const ms = performance.now() - t1;
  const temp = ds.root.children.get("temp") as ArrayNode;
  console.log(
    `aggregate(${n} files): ${ms.toFixed(0)} ms (${(ms / n).toFixed(2)} ms per file), ` +
      `RSS ${(rss0 / 1e6).toFixed(0)} -> ${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB, ` +
      `temp shape ${temp.shape}`,
  );
  const t2 = performance.now();
  const grid = Math.ceil(temp.shape[0] / temp.chunks[0]);
  for (let c = 0; c < grid; c++) await temp.readChunk([c, 0]);
  const s = (performance.now() - t2) / 1000;
  console.log(
    `read all ${grid} chunks (each spanning files) in ${s.toFixed(1)} s = ${
      (grid / s).toFixed(0)
    } chunks/s`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
