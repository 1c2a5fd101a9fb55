/**
 * The demo as a new user starts it (`deno task serve`: no files named), and every example run
 * against it: each prints the values the demo's files and the template's formula say
 * (tests/interop/demo_expect.py computes them with xr.open_dataset). The start-up is timed.
 * The Python and GDAL examples run under both client generations (Debian 12's xarray 2023.01,
 * zarr-python 2.13 and GDAL 3.6; today's xarray 2026, zarr-python 3 and GDAL 3.13), each checked
 * against what its own xarray reads from the files; a missing generation fails under CI and is
 * skipped with a message elsewhere.
 */
import assert from "node:assert/strict";
import { withTempDir } from "../helpers.ts";
import { pathFrom } from "../setup.ts";
import { type Generation, generationsFor, run } from "./run.ts";

/** An example that takes longer than this against the demo fails (they take 1-3 s here). */
const EXAMPLE_SECONDS = 30;

const here = pathFrom(import.meta.url);
const root = here("../..");
const generations = await generationsFor(
  "demo examples",
  "xarray, zarr, fsspec, aiohttp, dask, netCDF4",
  true,
);

/** What each example must print: its expected substrings, as `gen`'s xarray reads the files. */
async function expected(gen: Generation): Promise<Record<string, string[]>> {
  const res = await gen.python([here("./demo_expect.py"), `${root}/demo/data`]);
  assert.equal(res.code, 0, `${gen.name}: ${res.out}`);
  return JSON.parse(res.stdout);
}

/** Every line of `want` appears in `out`. */
function assertPrints(label: string, out: string, want: string[]): void {
  assert.ok(want.length > 0, label);
  for (const line of want) assert.ok(out.includes(line), `${label}: missing "${line}" in\n${out}`);
}

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
  const base = /at (http:\S+)\//.exec(out)![1];
  return { out, ms, base, stop };
}

/** What `deno task serve` runs, on a free port. */
const startDemo = () =>
  start(
    ["run", "-A", "--unstable-net", "cli.ts", "serve", "--port", "0"],
    /weather_sharded \[.*\n.*open_zarr/,
  );

// The expected values come from the first generation present (Debian 12's where it is).
const reference = generations.find((g) => !g.ignore)?.gen;

Deno.test({
  name: "demo: every kind served within 3 s, the zarrita example prints the right values",
  ignore: reference === undefined,
  async fn() {
    const want = await expected(reference!);
    const demo = await startDemo();
    try {
      console.log(`demo start-up: ${demo.ms.toFixed(0)} ms`);
      assert.ok(demo.ms < 3000, `the demo took ${demo.ms.toFixed(0)} ms to start`);
      for (const kind of ["memory", "netCDF-4 file", "aggregation", "computed", "template"]) {
        assert.match(demo.out, new RegExp(`\\[${kind}`));
      }
      assert.match(demo.out, /\[netCDF-3 file\]/);
      assert.match(demo.out, /\[file, v3 sharded\]/);
      const meta = await (await fetch(`${demo.base}/hypotheticube/t/.zarray`)).json();
      const chunks = meta.shape.reduce(
        (n: number, s: number, i: number) => n * Math.ceil(s / meta.chunks[i]),
        1,
      );
      const chunkBytes = meta.chunks.reduce((n: number, c: number) => n * c, 4);
      const declared = meta.shape.reduce((n: number, s: number) => n * s, 4);
      console.log(
        `the template declares ${chunks} chunks of ${(chunkBytes / 1e6).toFixed(1)} MB, ` +
          `${(declared / 1e15).toFixed(1)} PB`,
      );
      // Like a real archive: petabytes, in chunks of a few MB (never enumerated).
      assert.ok(declared >= 1e15 && chunkBytes >= 1e6 && chunkBytes <= 16e6);
      const t0 = performance.now();
      const z = await run(Deno.execPath(), [
        "run",
        "-A",
        `${root}/examples/read_zarrita.ts`,
        demo.base,
      ]);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`read_zarrita.ts took ${seconds.toFixed(1)} s`);
      assert.equal(z.code, 0, z.out);
      assert.ok(seconds < EXAMPLE_SECONDS, `read_zarrita.ts took ${seconds.toFixed(1)} s`);
      assertPrints("read_zarrita.ts", z.stdout, want["read_zarrita.ts"]);
    } finally {
      await demo.stop();
    }
  },
});

for (const { gen, ignore } of generations) {
  Deno.test({
    name: `${gen.name}: read_xarray.py and read_gdal.sh print the right values from the demo; ` +
      `xarray reads serve_my_data.ts`,
    ignore,
    async fn() {
      const want = await expected(gen);
      const demo = await startDemo();
      try {
        await withTempDir(async (dir) => {
          const t0 = performance.now();
          const x = await gen.python([`${root}/examples/read_xarray.py`, demo.base, dir]);
          const seconds = (performance.now() - t0) / 1000;
          console.log(`${gen.name}: read_xarray.py took ${seconds.toFixed(1)} s\n${x.stdout}`);
          assert.equal(x.code, 0, x.out);
          assert.ok(seconds < EXAMPLE_SECONDS, `read_xarray.py took ${seconds.toFixed(1)} s`);
          // A new user sees no warning from xarray or zarr-python.
          assert.doesNotMatch(x.out, /Warning/, x.out);
          assertPrints(`${gen.name}: read_xarray.py`, x.stdout, want["read_xarray.py"]);
          // The script runs this generation's gdalinfo and gdal_translate.
          const t1 = performance.now();
          const g = await gen.tool("bash", [`${root}/examples/read_gdal.sh`, demo.base, dir]);
          const gdalSeconds = (performance.now() - t1) / 1000;
          console.log(`${gen.name}: read_gdal.sh took ${gdalSeconds.toFixed(1)} s`);
          assert.equal(g.code, 0, g.out);
          assert.ok(gdalSeconds < EXAMPLE_SECONDS, `read_gdal.sh took ${gdalSeconds.toFixed(1)} s`);
          assert.doesNotMatch(g.out, /ERROR/, g.out);
          assertPrints(`${gen.name}: read_gdal.sh`, g.stdout, want["read_gdal.sh"]);
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
        const listed = (await (await fetch(`${mine.base}/`)).json()).datasets.map((
          d: { name: string },
        ) => d.name);
        assert.deepEqual(listed, ["ocean", "my_weather", "my_year", "my_year_celsius", "ramp"]);
        const chunk = await fetch(`${mine.base}/ramp/v/c/9999/0`, {
          headers: { "user-agent": "t" },
        });
        assert.equal(chunk.status, 200);
        await chunk.body?.cancel();
        // The server computes in float64 and stores float32: exactly that, whatever the
        // client's numpy promotes float32 - 273.15 to (float64 in numpy 1, float32 in numpy 2).
        const py = `import sys, numpy as np, xarray as xr
ds = xr.open_zarr(sys.argv[1] + "/my_year_celsius")
c, k = ds.t2m_celsius.values[:2, 0, 0], ds.t2m.values[:2, 0, 0].astype(np.float64)
print(c.dtype, bool((c == (k - 273.15).astype(np.float32)).all()), ds.sizes["time"])`;
        const x = await gen.python(["-c", py, mine.base]);
        assert.equal(x.stdout.trim(), "float32 True 365", x.out);
      } finally {
        await mine.stop();
      }
    },
  });
}
