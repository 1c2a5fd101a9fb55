/**
 * HDF5 and netCDF-4 over HTTP: every make_world.py fixture, served from a range server in
 * another process, opens in few requests and reads back exactly as h5py reads the local file,
 * through the clients of both generations (Debian 12's first: its h5py, with PyTables' blosc,
 * saves the values today's h5py compares against).
 */
import assert from "node:assert/strict";
import type { Dataset } from "../../src/model/types.ts";
import { openFile } from "../../src/sources/files.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { remoteServer } from "../remote_server.ts";
import { checkFaults } from "./fault_checks.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { failedUnder, PYTHON, readersFor, run } from "./run.ts";

const here = pathFrom(import.meta.url);
const ignore = await needs(
  "remote HDF5 tests",
  pythonHas("h5py, tables, netCDF4, xarray, zarr, fsspec"),
  "the Debian Python stack",
);
/** The client generations that read the served files, Debian 12's first (both under CI). */
const readers = await readersFor(
  "remote HDF5 checks",
  "h5py, netCDF4, xarray, zarr, fsspec, aiohttp",
);

Deno.test({
  name: "HDF5/netCDF-4 over HTTP: every world fixture exact, few requests to open",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      const made = await run(PYTHON, [here("./make_world.py"), dir]);
      assert.equal(made.code, 0, made.out);
      const server = await remoteServer(dir);
      try {
        const files = [...Deno.readDirSync(dir)].map((e) => e.name)
          .filter((n) => /\.(h5|nc)$/.test(n)).sort();
        const datasets: Dataset[] = [];
        const lines: string[] = [];
        await server.take();
        for (const file of files) {
          const size = (await Deno.stat(`${dir}/${file}`)).size;
          const opened = await openFile(`${server.base}/${file}`).then((d) => d, (e: Error) => e);
          const { requests, bytes } = await server.take();
          if (opened instanceof Error) {
            // Refused as the local file is, in one line.
            assert.match(opened.message, /^http:\S+: truncated: [\d,]+ of [\d,]+ bytes$/);
            lines.push(`${file}: refused: ${opened.message}`);
            continue;
          }
          // The stat, then one block that our readers and h5wasm's worker share.
          assert.equal(requests[`/${file}`], 2, `${file}: ${requests[`/${file}`]} requests`);
          lines.push(`${file}: ${requests[`/${file}`] ?? 0} requests, ${bytes} of ${size} bytes`);
          datasets.push(opened);
        }
        console.log(lines.join("\n"));
        await withServer(datasets, async (base) => {
          const failed = await failedUnder(
            readers,
            here("./check_world.py"),
            [base, dir],
            /all world checks passed/,
          );
          assert.deepEqual(failed, [], "world checks over HTTP failed (see output above)");
        });
      } finally {
        await server.close();
      }
    });
  },
});

Deno.test({
  name: "netCDF-4 over HTTP: faults retried or answered 502; a re-upload is a new version",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      const writer = here("./write_small.py");
      assert.equal((await run(PYTHON, [writer, `${dir}/f.nc`, "1", "shuffle"])).code, 0);
      const server = await remoteServer(dir);
      const url = `${server.base}/f.nc`;
      try {
        await checkFaults(
          url,
          (f) => server.faults(f),
          async () =>
            assert.equal((await run(PYTHON, [writer, `${dir}/f.nc`, "2", "shuffle"])).code, 0),
          async (base) => {
            // Through xarray of each generation, the new values.
            const py = `import sys, xarray as xr
print(float(xr.open_zarr(sys.argv[1])["v"].max()))`;
            for (const gen of readers) {
              const x = await gen.python(["-c", py, `${base}/f`]);
              assert.equal(x.stdout.trim(), "2.0", `${gen.name}: ${x.out}`);
            }
          },
        );
      } finally {
        await server.close();
      }
    });
  },
});
