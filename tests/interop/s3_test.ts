/**
 * netCDF-3 files in an S3-compatible store that checks signatures (moto_server, started here):
 * a config glob lists the bucket, requests are signed with SigV4 (aws4fetch), unsigned ones are
 * refused, and every file reads back through xarray as xr.open_dataset reads the local copy.
 * The server reads S3; the clients of both generations (Debian 12's, then today's) read the server
 * over HTTP. boto3 (Debian 12's) only uploads the fixtures.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/app/config.ts";
import { expandGlob } from "../../src/app/globs.ts";
import { openFile } from "../../src/sources/files.ts";
import { setSourceDefaults } from "../../src/sources/bytes/source_for.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas, works } from "../setup.ts";
import { failedUnder, PYTHON, readersFor, run } from "./run.ts";
import { startMoto } from "../moto.ts";

const here = pathFrom(import.meta.url);
// moto_server comes with the machine image, not from apt: without it the test says so and
// skips, under CI too.
const hasMoto = await works("moto_server", ["--help"]);
if (!hasMoto) console.log("S3 tests skipped: needs moto_server (from the machine image)");
const ignore = !hasMoto ||
  await needs("S3 tests", pythonHas("boto3, netCDF4, scipy, xarray"), "python3-boto3 (Debian)");
/** The client generations that read the served files, Debian 12's first (both under CI). */
const readers = await readersFor(
  "S3 client checks",
  "h5py, netCDF4, xarray, zarr, fsspec, aiohttp",
);

Deno.test({
  name: "netCDF-3 from S3 (moto): signed reads, a listed glob, values exact through xarray",
  ignore,
  async fn() {
    const moto = await startMoto();
    const endpoint = moto.endpoint;
    try {
      await withTempDir(async (dir) => {
        const made = await run(PYTHON, [here("./make_nc3.py"), `${dir}/all`]);
        assert.equal(made.code, 0, made.out);
        const names = ["classic.nc", "offset64.nc", "cdf5.nc", "scipy_v1.nc", "zero_records.nc"];
        await Deno.mkdir(`${dir}/up`);
        for (const n of names) await Deno.copyFile(`${dir}/all/${n}`, `${dir}/up/${n}`);
        const put = await run(PYTHON, [
          here("./s3_put.py"),
          endpoint,
          "bucket",
          ...names.map((n) => `${dir}/up/${n}`),
        ]);
        assert.equal(put.code, 0, put.out);
        setSourceDefaults({ s3: { endpoint } });
        // Unsigned requests are refused by the store: anonymous access fails in one line.
        setSourceDefaults({ s3: { endpoint, anonymous: true } });
        const refused = await openFile("s3://bucket/nc3/classic.nc").then(() => null, (e) => e);
        assert.ok(refused instanceof Error);
        assert.match(refused.message, /^s3:\/\/bucket\/nc3\/classic\.nc: 403/);
        assert.ok(!refused.message.includes("zarrflask-test-secret"));
        setSourceDefaults({ s3: { endpoint } });
        // One dataset per listed key.
        await Deno.writeTextFile(
          `${dir}/datasets.json`,
          JSON.stringify({
            datasets: Object.fromEntries(
              names.map((n) => [n.replace(/\.nc$/, ""), { files: `s3://bucket/nc3/${n}` }]),
            ),
          }),
        );
        const pubs = await loadConfig(`${dir}/datasets.json`);
        // A glob lists the bucket (ListObjectsV2) and keeps the keys that match.
        assert.deepEqual(await expandGlob("s3://bucket/nc3/c*.nc", dir), [
          "s3://bucket/nc3/cdf5.nc",
          "s3://bucket/nc3/classic.nc",
        ]);
        assert.equal((await expandGlob("s3://bucket/nc3/*", dir)).length, names.length);
        await withServer(pubs, async (base) => {
          const failed = await failedUnder(
            readers,
            here("./check_nc3.py"),
            [base, `${dir}/up`],
            /all nc3 checks passed/,
          );
          assert.deepEqual(failed, [], "netCDF-3 checks from S3 failed (see output above)");
        });
        // netCDF-4 and HDF5 from the bucket: every world fixture exact, as h5py reads it.
        const world = await run(PYTHON, [here("./make_world.py"), `${dir}/world`]);
        assert.equal(world.code, 0, world.out);
        const h5 = [...Deno.readDirSync(`${dir}/world`)].map((e) => e.name)
          .filter((n) => /\.(h5|nc)$/.test(n) && !n.startsWith("truncated")).sort();
        const up = await run(PYTHON, [
          here("./s3_put.py"),
          endpoint,
          "bucket",
          ...h5.map((n) => `${dir}/world/${n}`),
        ]);
        assert.equal(up.code, 0, up.out);
        const opened = await Promise.all(
          h5.map((n) => openFile(`s3://bucket/nc3/${n}`, { name: n.replace(/\.\w+$/, "") })),
        );
        await withServer(opened, async (base) => {
          for (const n of [...Deno.readDirSync(`${dir}/world`)]) {
            if (n.name.startsWith("truncated")) await Deno.remove(`${dir}/world/${n.name}`);
          }
          // Debian 12 first: its h5py saves the values today's h5py (no blosc) compares against.
          const failed = await failedUnder(
            readers,
            here("./check_world.py"),
            [base, `${dir}/world`],
            /all world checks passed/,
          );
          assert.deepEqual(failed, [], "world checks from S3 failed (see output above)");
        });
      });
    } finally {
      setSourceDefaults({});
      await moto.stop();
    }
  },
});
