/**
 * netCDF-3: open time and RSS for a file over 1 GB, and one client reading every chunk of a
 * record variable and of a fixed variable in turn (`deno run -A bench/netcdf3.ts [RECORDS]`).
 */
import { openFile } from "../src/sources/files.ts";
import { findNode } from "../src/model/tree.ts";
import { gridShape, itemSize, product, unravel } from "../src/model/grid.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { serve } from "../server.ts";

const records = Deno.args[0] ?? "170";
const dir = await Deno.makeTempDir({ prefix: "zarrflask-nc3-" });

async function oneClient(ds: Dataset, variable: string): Promise<string> {
  const array = findNode(ds.root, variable) as ArrayNode;
  const grid = gridShape(array.shape, array.chunks);
  const controller = new AbortController();
  let base = "";
  const server = serve([ds], {
    port: 0,
    codec: Deno.env.get("CODEC"),
    signal: controller.signal,
    onListen: (u) => (base = u),
  });
  const n = Math.min(product(grid), 200);
  let wire = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/${ds.name}/${variable}/${unravel(i, grid).join(".")}`);
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    wire += (await res.arrayBuffer()).byteLength;
  }
  const s = (performance.now() - t0) / 1000;
  controller.abort();
  await server.finished;
  const decoded = n * product(array.chunks) * itemSize(array.dtype);
  return `${variable} ${JSON.stringify(array.chunks)}: ${n} chunks in ${s.toFixed(2)} s, ` +
    `${(n / s).toFixed(1)} chunks/s, ${(decoded / 1e6 / s).toFixed(0)} MB/s decoded, ` +
    `${(wire / 1e6 / s).toFixed(0)} MB/s on the wire (${Deno.env.get("CODEC") ?? "zstd:1"})`;
}

try {
  const path = `${dir}/nc3.nc`;
  const script = new URL("./make_netcdf3.py", import.meta.url).pathname;
  const made = await new Deno.Command("/usr/bin/python3", { args: [script, path, records] })
    .output();
  if (made.code !== 0) throw new Error(new TextDecoder().decode(made.stderr));
  const size = (await Deno.stat(path)).size;
  const before = Deno.memoryUsage().rss;
  const t0 = performance.now();
  const ds = await openFile(path, { name: "nc3" });
  const ms = performance.now() - t0;
  console.log(
    `open ${(size / 1e9).toFixed(2)} GB netCDF-3: ${ms.toFixed(1)} ms, RSS ${
      (before / 1e6).toFixed(0)
    } -> ` +
      `${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
  console.log(await oneClient(ds, "t2m"));
  console.log(await oneClient(ds, "tp"));
  console.log(await oneClient(ds, "clim"));
  console.log(`peak RSS ${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
