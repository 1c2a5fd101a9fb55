/**
 * Interop with real clients from Debian: xarray, zarr-python (through
 * /usr/bin/python3) and GDAL, on files written by netCDF-C and h5py.
 * Skips with a message when the stack is missing, except under CI.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openHdf5 } from "../../src/sources/hdf5/open.ts";
import { aggregate } from "../../src/sources/aggregate.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { PYTHON, run } from "./run.ts";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const probe = await run(PYTHON, ["-c", "import xarray, zarr, netCDF4, h5py, fsspec, aiohttp"]);
const gdal = await run("gdalinfo", ["--version"]);
const missing = [
  probe.code === 0
    ? ""
    : "python3-xarray python3-zarr python3-netcdf4 python3-h5py python3-fsspec python3-aiohttp",
  gdal.code === 0 ? "" : "gdal-bin",
].filter(Boolean);
if (missing.length && !Deno.env.get("CI")) {
  console.log(`interop tests skipped: install ${missing.join(" ")} (Debian) to run them`);
}
const ignore = missing.length > 0 && !Deno.env.get("CI");

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

for (const passthrough of ["auto", "all"] as const) {
  Deno.test({
    name:
      `xarray and zarr-python read the stores exactly as the files (passthrough ${passthrough})`,
    ignore,
    fn: async () => {
      await withInteropServer(async (base, dir) => {
        const res = await run(PYTHON, [here("./check_clients.py"), base, dir]);
        console.log(res.out);
        assert.equal(res.code, 0, "client checks failed (see output above)");
        assert.match(res.out, /all client checks passed/);
      }, passthrough);
    },
  });
}

Deno.test({
  name: "GDAL reads a variable through /vsicurl/",
  ignore,
  fn: async () => {
    await withInteropServer(async (base) => {
      const res = await run("gdalinfo", [
        "-stats",
        "-json",
        `ZARR:"/vsicurl/${base}/cf":/forecast/t2m:0`,
      ]);
      assert.equal(res.code, 0, res.out);
      const info = JSON.parse(res.stdout);
      assert.deepEqual(info.size, [36, 19]);
      const band = info.bands[0];
      assert.equal(band.type, "Float64");
      assert.ok(band.minimum >= 0 && band.maximum <= 1 && band.maximum > band.minimum);
      const temp = await run("gdalinfo", ["-stats", "-json", `ZARR:"/vsicurl/${base}/cf":/temp:1`]);
      assert.equal(temp.code, 0, temp.out);
      const t = JSON.parse(temp.stdout).bands[0];
      assert.equal(t.noDataValue, -999);
      assert.ok(t.minimum >= 250 && t.maximum <= 290, `${t.minimum}..${t.maximum}`);
    });
  },
});
