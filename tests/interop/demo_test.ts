/**
 * The demo as a new user starts it (`deno task serve`: no files named), and every example run
 * against it: each prints the values the demo's files and the template's formula say
 * (tests/interop/demo_expect.py computes them with xr.open_dataset). The start-up is timed.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withTempDir } from "../helpers.ts";
import { PYTHON, run } from "./run.ts";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const root = here("../..");
const probe = await run(PYTHON, ["-c", "import xarray, zarr, fsspec, aiohttp, dask, netCDF4"]);
const gdal = (await run("gdalinfo", ["--version"])).code === 0;
const ignore = (probe.code !== 0 || !gdal) && !Deno.env.get("CI");
if (ignore) console.log("demo test skipped: needs the Debian Python stack and gdal-bin");

/** A server process; resolves once it prints the line matching `ready`. */
async function start(args: string[], ready: RegExp, cwd = root) {
  const t0 = performance.now();
  const proc = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!ready.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`ended before it was ready: ${out}`);
    out += value;
  }
  const ms = performance.now() - t0;
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.status;
    await proc.stderr.cancel().catch(() => {});
  };
  return { out, ms, stop };
}

Deno.test({
  name: "demo: every kind served, every example prints the right values",
  ignore,
  async fn() {
    const expected = await run(PYTHON, [here("./demo_expect.py"), `${root}/demo/data`]);
    assert.equal(expected.code, 0, expected.out);
    const lines = expected.stdout.trim().split("\n");
    // What `deno task serve` runs, on a free port; the whole demo must be up within 3 s.
    const demo = await start(
      ["run", "-A", "--unstable-net", "cli.ts", "serve", "--port", "0"],
      /weather_sharded \[.*\n.*open_zarr/,
    );
    try {
      console.log(`demo start-up: ${demo.ms.toFixed(0)} ms`);
      assert.ok(demo.ms < 3000, `the demo took ${demo.ms.toFixed(0)} ms to start`);
      for (const kind of ["memory", "netCDF-4 file", "aggregation", "computed", "template"]) {
        assert.match(demo.out, new RegExp(`\\[${kind}`));
      }
      assert.match(demo.out, /\[netCDF-3 file\]/);
      assert.match(demo.out, /\[file, v3 sharded\]/);
      const base = /at (http:\S+)\//.exec(demo.out)![1];
      const meta = await (await fetch(`${base}/hypotheticube/t2m/.zarray`)).json();
      const chunks = meta.shape.reduce(
        (n: number, s: number, i: number) => n * Math.ceil(s / meta.chunks[i]),
        1,
      );
      console.log(`the template declares ${chunks} chunks`);
      assert.ok(chunks >= 1e7);
      await withTempDir(async (dir) => {
        const outputs = [
          await run(PYTHON, [`${root}/examples/read_xarray.py`, base, dir]),
          await run(Deno.execPath(), ["run", "-A", `${root}/examples/read_zarrita.ts`, base]),
          await run("bash", [`${root}/examples/read_gdal.sh`, base, dir]),
        ];
        for (const o of outputs) assert.equal(o.code, 0, o.out);
        const all = outputs.map((o) => o.stdout).join("\n");
        console.log(outputs[0].stdout);
        for (const line of lines) assert.ok(all.includes(line), `missing "${line}" in\n${all}`);
        assert.ok((await Deno.stat(`${dir}/weather_t2m.tif`)).size > 1000);
      });
    } finally {
      await demo.stop();
    }
    // The library example: each kind built in code.
    const mine = await start(
      ["run", "-A", "examples/serve_my_data.ts", "0"],
      /serving .* at (http:\S+)\//,
    );
    try {
      const base = /at (http:\S+)\//.exec(mine.out)![1];
      const listed = (await (await fetch(`${base}/`)).json()).datasets.map((d: { name: string }) =>
        d.name
      );
      assert.deepEqual(listed, ["ocean", "my_weather", "my_year", "my_year_celsius", "ramp"]);
      const chunk = await fetch(`${base}/ramp/v/c/9999/0`, { headers: { "user-agent": "t" } });
      assert.equal(chunk.status, 200);
      await chunk.body?.cancel();
      const py = `import sys, xarray as xr
ds = xr.open_zarr(sys.argv[1] + "/my_year_celsius")
print(round(float(ds.t2m_celsius[0, 0, 0] - (ds.t2m[0, 0, 0] - 273.15)), 6), ds.sizes["time"])`;
      const x = await run(PYTHON, ["-c", py, base]);
      assert.equal(x.stdout.trim(), "0.0 365", x.out);
    } finally {
      await mine.stop();
    }
  },
});
