/** Measures opening a file: wall time and process RSS before and after. */
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { h5Module } from "../src/sources/hdf5/module.ts";

const path = Deno.args[0];
if (!path) {
  console.error("usage: deno run -A bench/open.ts FILE");
  Deno.exit(2);
}
await h5Module(); // wasm start-up is paid once per process, not per file
const before = Deno.memoryUsage().rss;
const t0 = performance.now();
const ds = await openHdf5(path);
const ms = performance.now() - t0;
const after = Deno.memoryUsage().rss;
const size = (await Deno.stat(path)).size;
console.log(
  `open ${path} (${(size / 1e6).toFixed(0)} MB): ${ms.toFixed(1)} ms, ` +
    `RSS ${(before / 1e6).toFixed(0)} -> ${(after / 1e6).toFixed(0)} MB, ` +
    `${ds.root.children.size} top-level nodes`,
);
