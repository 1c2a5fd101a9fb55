/**
 * Files replaced by rename under load, as the issue measures it: wrk (16 connections, xarray's
 * User-Agent) and a Python reader checking every chunk, 30 s per case, while a publisher `mv`s a
 * new version over the served file every 2 s, then every 0.15 s; a netCDF-4 file, a netCDF-3 file
 * and a netCDF-4 file in a served folder.
 *
 * usage: deno run -A bench/replace.ts [SECONDS]
 */
import { replaceUnderLoad } from "../tests/replace_load.ts";

const seconds = Number(Deno.args[0] ?? 30);
console.log("| served | replaced every | requests | non-2xx | req/s | chunks checked (a / b) |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const kind of ["netCDF-4", "netCDF-3", "directory"] as const) {
  for (const period of [2, 0.15]) {
    const r = await replaceUnderLoad({ kind, period, seconds });
    const checked = "mixture" in r.checked
      ? `MIXTURE: ${r.checked.mixture}`
      : `${r.checked.a + r.checked.b} (${r.checked.a} / ${r.checked.b})`;
    console.log(
      `| ${kind} | ${period} s (${r.swaps} times) | ${r.requests} | ${r.bad} | ` +
        `${Math.round(r.rps)} | ${checked} |`,
    );
  }
}
