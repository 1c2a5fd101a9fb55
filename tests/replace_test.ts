/**
 * Files replaced by rename while being served (issue: no errors while files are replaced): wrk
 * and a Python reader race a publisher that `mv`s a new version over the file every 0.15 s;
 * no answer may be an error, and every chunk must be one version's, whole. bench/replace.ts
 * runs the same for 30 s at 2 s and 0.15 s.
 */
import assert from "node:assert/strict";
import { replaceUnderLoad } from "./replace_load.ts";
import { needs, pythonHas, run } from "./setup.ts";

const ignore = await needs(
  "replace tests",
  await pythonHas("netCDF4, zarr, fsspec, aiohttp") &&
    (await run("wrk", ["--version"])).code !== -1, // wrk --version exits 1
  "wrk and the Debian Python stack",
);

for (const kind of ["netCDF-4", "netCDF-3", "directory"] as const) {
  Deno.test({
    name: `${kind}: replaced by rename every 0.15 s under load, no error and no mixed chunk`,
    ignore,
    async fn() {
      const r = await replaceUnderLoad({ kind, period: 0.15, seconds: 4 });
      console.log(`${kind}: ${JSON.stringify(r)}`);
      assert.ok(r.swaps >= 15, `replaced ${r.swaps} times`);
      assert.ok(r.requests > 1000, `${r.requests} requests`);
      assert.equal(r.bad, 0, `${r.bad} of ${r.requests} answers were errors`);
      assert.ok(!("mixture" in r.checked), `a chunk of neither version: ${JSON.stringify(r)}`);
      assert.ok(r.checked.a > 0 && r.checked.b > 0, "the reader saw both versions");
      assert.ok(r.openReaders <= 2, `old versions closed: ${r.openReaders} files held open`);
    },
  });
}
