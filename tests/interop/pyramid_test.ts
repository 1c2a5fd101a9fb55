/**
 * Pyramids made on request, read by xarray of both generations: every level equals xarray's own
 * coarsen(...).mean() of the file, on a netCDF-4 file with fill values, NaN, missing_value,
 * packed values, flags and odd sizes; open_datatree where xarray has it; GDAL's multidimensional
 * API on the coarsest level.
 */
import assert from "node:assert/strict";
import { openHdf5 } from "../../src/sources/hdf5/hdf5_dataset.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { generationsFor, PYTHON, run } from "./run.ts";

const here = pathFrom(import.meta.url);
const generations = await generationsFor(
  "pyramid checks",
  "xarray, zarr, fsspec, aiohttp, osgeo.gdal",
  true,
);
const noWriter = await needs(
  "pyramid checks (the fixture)",
  pythonHas("netCDF4"),
  "python3-netcdf4 (Debian)",
);

for (const { gen, ignore } of generations) {
  Deno.test({
    name: `${gen.name}: every pyramid level equals xarray's coarsen mean of the file`,
    ignore: ignore || noWriter,
    fn: () =>
      withTempDir(async (dir) => {
        const made = await run(PYTHON, [here("./make_pyramid.py"), `${dir}/pyr.nc`]);
        assert.equal(made.code, 0, made.out);
        const ds = await openHdf5(`${dir}/pyr.nc`, { name: "pyr" });
        await withServer([ds], async (base) => {
          const res = await gen.python([
            here("./check_pyramid.py"),
            `${base}/pyramid/pyr`,
            `${dir}/pyr.nc`,
            "y",
            "x",
          ]);
          console.log(res.out);
          assert.equal(res.code, 0, "pyramid checks failed (see output above)");
          assert.match(res.out, /level 2: .*equal/);
          assert.match(res.out, /GDAL [\d.]+: level 2 temp equal/);
          if (gen.name === "today") assert.match(res.out, /open_datatree: 3 levels/);
          assert.match(res.out, /pyramid ok/);
        });
      }),
  });
}
