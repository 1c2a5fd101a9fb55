/**
 * Real-world files: every fixture make_world.py writes with h5py, PyTables and
 * netCDF4-python opens (or is refused as a whole in one line), and
 * check_world.py finds every HDF5 value and attribute exact through
 * zarr-python and xarray of both generations (zarr-python 2.13 and 3.4). Skips
 * with a message when the Python stack is missing, except under CI.
 */
import assert from "node:assert/strict";
import type { Dataset } from "../../src/model/types.ts";
import { openHdf5 } from "../../src/sources/hdf5/hdf5_dataset.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { failedUnder, type Generation, PYTHON, readersFor, run } from "./run.ts";

const here = pathFrom(import.meta.url);

/** Fixtures that must be refused as a whole, and what their one-line reason must say. */
const REFUSED: Record<string, RegExp> = {
  "truncated.h5": /truncated: [\d,]+ of [\d,]+ bytes$/,
  "truncated_data.h5": /truncated: [\d,]+ of [\d,]+ bytes$/,
};

const ignore = await needs(
  "world tests",
  pythonHas("h5py, tables, netCDF4, xarray, zarr, fsspec, aiohttp"),
  "python3-h5py python3-tables python3-netcdf4 python3-xarray python3-zarr python3-fsspec " +
    "python3-aiohttp (Debian)",
);
/** The client generations that check the stores (both under CI). */
const readers = await readersFor("world checks", "xarray, zarr, h5py, fsspec, aiohttp", true);

/**
 * Opens every fixture in `dir`. All must open, except REFUSED ones, refused
 * in one line; returns the datasets and what went wrong.
 */
async function openAll(dir: string): Promise<{ datasets: Dataset[]; problems: string[] }> {
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.(h5|nc)$/.test(n))
    .sort();
  assert.ok(files.length > Object.keys(REFUSED).length, `fixtures: ${files.join(", ")}`);
  const datasets: Dataset[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let message: string | undefined;
    try {
      datasets.push(await openHdf5(`${dir}/${file}`));
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    if (message === undefined) {
      if (file in REFUSED) problems.push(`${file} opened, but must be refused as a whole`);
    } else if (message.includes("\n")) {
      problems.push(`${file}: the reason must be one line: ${message}`);
    } else if (!(file in REFUSED)) {
      problems.push(`${file} must open: ${message}`);
    } else if (!REFUSED[file].test(message)) {
      problems.push(`${file}: the reason must match ${REFUSED[file]}: ${message}`);
    }
  }
  return { datasets, problems };
}

Deno.test({
  name: "real-world HDF5 and netCDF-4 files: every file served, every value exact",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const made = await run(PYTHON, [here("./make_world.py"), dir]);
      assert.equal(made.code, 0, made.out);
      assert.match(made.stdout, /world fixtures written/);
      const { datasets, problems } = await openAll(dir);
      await withServer(datasets, async (base) => {
        assert.deepEqual(problems, [], "files that fail to open");
        // Debian 12 first: its h5py (with PyTables' blosc) saves the values that today's h5py,
        // which has no blosc filter, compares against.
        const check = here("./check_world.py");
        const passed = /all world checks passed/;
        const failed = await failedUnder(readers, check, [base, dir], passed, true);
        for (const gen of readers) await renamedArraysRead(gen, base);
        assert.deepEqual(failed, [], "world checks failed (see output above)");
      });
      const warnings = datasets.flatMap((d) => d.warnings);
      for (const w of warnings) {
        assert.ok(!w.includes("\n") && !/HDF5-DIAG|type class|component not found/.test(w), w);
      }
      const partial = datasets.find((d) => d.name === "partial")!.warnings;
      assert.equal(partial.filter((w) => /left out: a dangling soft link to "/.test(w)).length, 2);
      assert.ok(
        partial.some((w) => /^\/external: left out: an external link to "missing_file/.test(w)),
      );
    });
  },
});

/** xarray and GDAL read arrays published under safe names (zarr-python is in check_world.py). */
async function renamedArraysRead(gen: Generation, base: string): Promise<void> {
  const py = `import sys, xarray as xr
ds = xr.open_zarr(sys.argv[1] + "/names")
assert ds["_a_"].attrs["original_name"] == "#a#", ds["_a_"].attrs
assert list(ds["_a_"].values) == [0, 1, 2], ds["_a_"].values
print(sorted(ds.data_vars)[:3])`;
  const x = await gen.python(["-c", py, base]);
  assert.equal(x.code, 0, `${gen.name}: ${x.out}`);
  const gdal = await gen.tool("gdalinfo", [
    "-json",
    "-stats",
    `ZARR:"/vsicurl/${base}/names":/_a_`,
  ]);
  assert.equal(gdal.code, 0, gdal.out);
  const band = JSON.parse(gdal.stdout).bands[0];
  assert.deepEqual([band.minimum, band.maximum], [0, 2]);
}
