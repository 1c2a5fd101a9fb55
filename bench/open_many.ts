/**
 * Start-up time for a file of many datasets (default 1,000, written by h5py):
 * `deno run -A bench/open_many.ts [N]`. Prints the open time and RSS.
 */
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { h5Module } from "../src/sources/hdf5/module.ts";
import { walk } from "../src/model/tree.ts";

const n = Number(Deno.args[0] ?? 1000);
const dir = await Deno.makeTempDir({ prefix: "zarrflask-bench-" });
try {
  const path = `${dir}/many.h5`;
  const script = new URL("./make_many.py", import.meta.url).pathname;
  const made = await new Deno.Command("/usr/bin/python3", { args: [script, path, String(n)] })
    .output();
  if (made.code !== 0) throw new Error(new TextDecoder().decode(made.stderr));
  await h5Module(); // wasm start-up is paid once per process, not per file
  const before = Deno.memoryUsage().rss;
  const t0 = performance.now();
  const ds = await openHdf5(path);
  const ms = performance.now() - t0;
  const arrays = [...walk(ds.root)].filter(([, node]) => node.kind === "array").length;
  console.log(
    `open ${n} datasets: ${ms.toFixed(0)} ms (${(ms / n).toFixed(2)} ms a dataset), ` +
      `${arrays} arrays served, ${ds.warnings.length} warnings, RSS ${
        (before / 1e6).toFixed(0)
      } -> ` +
      `${(Deno.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
