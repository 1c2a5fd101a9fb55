/**
 * netCDF-3 files written by netCDF4-python (classic, 64-bit offset, CDF-5) and
 * scipy, a sparse file over 4 GiB, and malformed copies: every well-formed
 * file reads back through xarray exactly as `xr.open_dataset(file)` does.
 * Skips with a message when the stack is missing, except under CI.
 */
import assert from "node:assert/strict";
import { openFile } from "../../src/sources/files.ts";
import type { Dataset } from "../../src/model/types.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { failedUnder, PYTHON, readersFor, run } from "./run.ts";

const here = pathFrom(import.meta.url);

const ignore = await needs(
  "netCDF-3 interop tests",
  pythonHas("netCDF4, scipy, xarray, zarr, fsspec, aiohttp"),
  "python3-netcdf4 python3-scipy python3-xarray python3-zarr python3-fsspec python3-aiohttp " +
    "(Debian)",
);
/** The client generations that check the stores (both under CI). */
const readers = await readersFor("netCDF-3 checks", "xarray, zarr, fsspec, aiohttp");

/** Files refused as a whole, with the one line each must say. */
const REFUSED: Record<string, RegExp> = {
  "trunc_header.nc": /the header (runs past the end|claims \d+ \w+[ \w]*, more than the file)/,
  "huge_nelems.nc": /the header claims 2147483647 dimensions, more than the file/,
  "hdf4.hdf": /an HDF4 file: not supported$/,
  "notes.txt": /not a netCDF or HDF5 file/,
};

Deno.test({
  name: "netCDF-3 files read through xarray exactly as xr.open_dataset reads them",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const made = await run(PYTHON, [here("./make_nc3.py"), dir]);
      assert.equal(made.code, 0, made.out);
      assert.match(made.out, /nc3 fixtures written/);
      const datasets: Dataset[] = [];
      for (const file of [...Deno.readDirSync(dir)].map((e) => e.name).sort()) {
        if (file.endsWith(".json")) continue;
        const t0 = performance.now();
        const opened = await openFile(`${dir}/${file}`).then((d) => d, (e: Error) => e);
        assert.ok(performance.now() - t0 < 2000, `${file} opens quickly`);
        if (opened instanceof Error) {
          assert.ok(file in REFUSED, `${file} must open: ${opened.message}`);
          assert.ok(!opened.message.includes("\n"), opened.message);
          assert.match(opened.message, REFUSED[file]);
        } else {
          assert.ok(!(file in REFUSED), `${file} must be refused`);
          datasets.push(opened);
        }
      }
      const byName = new Map(datasets.map((d) => [d.name, d]));
      assert.match(
        byName.get("trunc_data")!.warnings.join("\n"),
        /truncated: [\d,]+ of [\d,]+ bytes/,
      );
      assert.match(byName.get("numrecs_lie")!.warnings.join("\n"), /says 1000 records/);
      await withServer(datasets, async (base) => {
        const check = here("./check_nc3.py");
        const failed = await failedUnder(
          readers,
          check,
          [base, dir],
          /all nc3 checks passed/,
          true,
        );
        assert.deepEqual(failed, [], "netCDF-3 checks failed (see output above)");
      });
    });
  },
});
