/**
 * Interop with real clients of both generations: xarray, zarr-python and GDAL, on files written
 * by netCDF-C and h5py, read back exactly as the files. A missing generation fails under CI and
 * is skipped with a message elsewhere.
 */
import assert from "node:assert/strict";
import { openHdf5 } from "../../src/sources/hdf5/hdf5_dataset.ts";
import { aggregate } from "../../src/sources/virtual/aggregate.ts";
import { memoryDataset } from "../../src/sources/virtual/memory.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { generationsFor, PYTHON, run } from "./run.ts";

const here = pathFrom(import.meta.url);

const generations = await generationsFor(
  "client interop tests",
  "xarray, zarr, netCDF4, h5py, fsspec, aiohttp",
  true,
);
const noWriters = await needs(
  "client interop tests (the fixtures)",
  pythonHas("netCDF4, h5py"),
  "python3-netcdf4 python3-h5py (Debian)",
);

async function withInteropServer(
  fn: (base: string, dir: string) => Promise<void>,
  passthrough: "auto" | "all" = "auto",
): Promise<void> {
  await withTempDir(async (dir) => {
    const made = await run(PYTHON, [here("./make_fixtures.py"), dir]);
    assert.equal(made.code, 0, made.out);
    const datasets = await Promise.all(
      ["cf.nc", "types_earliest.h5", "types_latest.h5"].map((f) => openHdf5(`${dir}/${f}`)),
    );
    for (const [folder, name] of [["monthly", "clim"], ["monthly3", "clim3"]]) {
      const months = Array.from(
        { length: 12 },
        (_, i) => `${dir}/${folder}/clim_${String(i + 1).padStart(2, "0")}.nc`,
      );
      datasets.push(await aggregate(months, { name }));
    }
    await withServer(datasets, (base) => fn(base, dir), undefined, { passthrough });
  });
}

for (const { gen, ignore } of generations) {
  for (const passthrough of ["auto", "all"] as const) {
    Deno.test({
      name: `${gen.name}: xarray and zarr-python read the stores exactly as the files ` +
        `(passthrough ${passthrough})`,
      ignore: ignore || noWriters,
      fn: async () => {
        await withInteropServer(async (base, dir) => {
          const res = await gen.python([here("./check_clients.py"), base, dir]);
          console.log(res.out);
          assert.equal(res.code, 0, "client checks failed (see output above)");
          assert.match(res.out, /all client checks passed/);
        }, passthrough);
      },
    });
  }

  Deno.test({
    name: `${gen.name}: GDAL reads variables through /vsicurl/, NoData = _FillValue`,
    ignore,
    fn: async () => {
      await withInteropServer(async (base) => {
        const res = await gen.tool("gdalinfo", [
          "-stats",
          "-json",
          `ZARR:"/vsicurl/${base}/cf":/forecast/t2m:0`,
        ]);
        assert.equal(res.code, 0, res.out);
        // GDAL 3.6 cannot read variable-length strings (|O): it says so and reads the rest.
        const errors = res.out.split("\n").filter((l) => /ERROR/.test(l) && !/dtype: \|O/.test(l));
        assert.deepEqual(errors, [], res.out);
        const info = JSON.parse(res.stdout);
        assert.deepEqual(info.size, [36, 19]);
        const band = info.bands[0];
        assert.equal(band.type, "Float64");
        assert.ok(band.minimum >= 0 && band.maximum <= 1 && band.maximum > band.minimum);
        const temp = await gen.tool("gdalinfo", [
          "-stats",
          "-json",
          `ZARR:"/vsicurl/${base}/cf":/temp:1`,
        ]);
        assert.equal(temp.code, 0, temp.out);
        assert.doesNotMatch(temp.out, /ERROR \d+: (?!.*dtype: \|O)/, temp.out);
        const t = JSON.parse(temp.stdout).bands[0];
        assert.equal(t.noDataValue, -999);
        assert.ok(t.minimum >= 250 && t.maximum <= 290, `${t.minimum}..${t.maximum}`);
      });
    },
  });
}

/** Fill values of every kind a dataset built in code can declare, as xarray masks them. */
const fillKinds = () =>
  memoryDataset("kinds", {
    dims: { x: 3 },
    variables: {
      text: { dims: ["x"], data: ["a", "zz", "c"], fillValue: "zz" },
      flag: { dims: ["x"], data: [true, false, true], fillValue: false },
      big: {
        dims: ["x"],
        data: new BigUint64Array([1n, 18446744073709551615n, 3n]),
        fillValue: 18446744073709551615n,
      },
      f4: { dims: ["x"], data: new Float32Array([1, 1e20, 3]), fillValue: Math.fround(1e20) },
      // netCDF's habit: the fill value given as an attribute
      attr: { dims: ["x"], data: new Int16Array([1, -1, 3]), attrs: { _FillValue: -1 } },
    },
  });

const KINDS_CHECK = `import sys, warnings, numpy as np, xarray as xr
warnings.simplefilter("error")
ds = xr.open_zarr(sys.argv[1] + "/kinds")
for name in ("flag", "big", "f4", "attr"):
    assert np.isnan(ds[name].values[1]) and not np.isnan(ds[name].values[0]), (name, ds[name].values)
# a string fill value cannot reach xarray 2026 through v3 (its coder refuses strings): unmasked,
# never an error that refuses the dataset, and so through v2 too
assert list(ds.text.values) == ["a", "zz", "c"], ds.text.values
assert "_FillValue" not in ds.attr.attrs and ds.attr.encoding["_FillValue"] == -1
print("kinds ok")`;

for (const { gen, ignore } of generations) {
  Deno.test({
    name: `${gen.name}: xarray masks the fill value of every kind, and opens without a warning`,
    ignore,
    fn: async () => {
      await withServer([fillKinds()], async (base) => {
        const res = await gen.python(["-c", KINDS_CHECK, base]);
        assert.equal(res.code, 0, res.out);
        assert.match(res.out, /kinds ok/);
      });
    },
  });
}
