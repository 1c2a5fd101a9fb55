/** Test fixtures written with h5wasm at test time: netCDF-4 style files. */
import h5wasm from "h5wasm/node";
import { h5Module } from "../src/sources/hdf5/module.ts";
import type { NumericArray } from "../src/model/values.ts";

/** A netCDF dimension scale that is not a variable, as netCDF-C names it. */
const DIM_ONLY = (n: number) =>
  `This is a netCDF dimension but not a netCDF variable.${String(n).padStart(10)}`;

/** Values `f(i)` for i in 0..n-1 as the given typed array. */
function ramp<T extends Exclude<NumericArray, BigInt64Array | BigUint64Array>>(
  ctor: new (n: number) => T,
  n: number,
  f: (i: number) => number,
): T {
  const a = new ctor(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
}

/** Shapes used by the fixture, so tests can check against them. */
export const SHAPE = { time: 5, lat: 7, lon: 9, nv: 2 };

/**
 * Writes a netCDF-4 style file: dimension scales, coordinates, CF attributes,
 * a subgroup, chunked + deflated and contiguous variables, and every dtype
 * h5wasm can write.
 */
export async function writeNetcdfLike(path: string): Promise<void> {
  await h5Module();
  const f = new h5wasm.File(path, "w");
  try {
    f.create_attribute("Conventions", "CF-1.8");
    f.create_attribute("title", "zarrflask fixture");
    f.create_attribute("_NCProperties", "version=2,netcdf=4.9.0,hdf5=1.12.2");
    const { time: nt, lat: ny, lon: nx, nv } = SHAPE;

    const time = f.create_dataset({
      name: "time",
      data: ramp(Float64Array, nt, (i) => i * 24),
      maxshape: [null],
      chunks: [4],
    });
    time.make_scale("time");
    time.create_attribute("_Netcdf4Dimid", new Int32Array([0]));
    time.create_attribute("units", "hours since 2001-01-01");
    time.create_attribute("calendar", "proleptic_gregorian");
    const lat = f.create_dataset({
      name: "lat",
      data: ramp(Float32Array, ny, (i) => -45 + 15 * i),
    });
    lat.make_scale("lat");
    lat.create_attribute("_Netcdf4Dimid", new Int32Array([1]));
    lat.create_attribute("units", "degrees_north");
    const lon = f.create_dataset({ name: "lon", data: ramp(Float32Array, nx, (i) => 40 * i) });
    lon.make_scale("lon");
    lon.create_attribute("_Netcdf4Dimid", new Int32Array([2]));
    lon.create_attribute("units", "degrees_east");
    const nvScale = f.create_dataset({ name: "nv", data: new Float32Array(nv) });
    nvScale.make_scale(DIM_ONLY(nv));

    const temp = f.create_dataset({
      name: "temp",
      data: ramp(Float32Array, nt * ny * nx, (i) => (i % 11 === 0 ? NaN : 250 + i * 0.25)),
      shape: [nt, ny, nx],
      chunks: [2, 3, 4],
      compression: 4,
    });
    ["time", "lat", "lon"].forEach((d, i) => temp.attach_scale(i, d));
    temp.create_attribute("units", "K");
    temp.create_attribute("standard_name", "air_temperature");
    temp.create_attribute("_FillValue", new Float32Array([NaN]), [1]);
    temp.create_attribute("valid_range", new Float32Array([150, 350]));
    temp.create_attribute("_Netcdf4Coordinates", new Int32Array([0, 1, 2]));

    const packed = f.create_dataset({
      name: "packed",
      data: ramp(Int16Array, nt * ny * nx, (i) => (i % 13 === 0 ? -32767 : i * 7 - 1000)),
      shape: [nt, ny, nx],
    });
    ["time", "lat", "lon"].forEach((d, i) => packed.attach_scale(i, d));
    packed.create_attribute("scale_factor", new Float32Array([0.01]));
    packed.create_attribute("add_offset", new Float32Array([273.15]));
    packed.create_attribute("_FillValue", new Int16Array([-32767]));

    const bounds = f.create_dataset({
      name: "lat_bnds",
      data: ramp(Float64Array, ny * nv, (i) => i),
      shape: [ny, nv],
    });
    bounds.attach_scale(0, "lat");
    bounds.attach_scale(1, "nv");

    const ints: [
      string,
      new (n: number) => Exclude<NumericArray, BigInt64Array | BigUint64Array | Float32Array>,
    ][] = [
      ["i8", Int8Array],
      ["u8", Uint8Array],
      ["i16", Int16Array],
      ["u16", Uint16Array],
      ["i32", Int32Array],
      ["u32", Uint32Array],
      ["f64", Float64Array],
    ];
    for (const [name, ctor] of ints) {
      const d = f.create_dataset({ name, data: ramp(ctor, nx, (i) => i * 3 - 4 * (i % 2)) });
      d.attach_scale(0, "lon");
    }
    f.create_dataset({ name: "i64", data: new BigInt64Array([-(2n ** 62n), 0n, 2n ** 53n + 1n]) });
    f.create_dataset({ name: "u64", data: new BigUint64Array([0n, 2n ** 63n, 2n ** 64n - 1n]) });
    f.create_dataset({ name: "scalar", data: 42.5, shape: [] });
    f.create_dataset({ name: "fixed", data: ["ab", "cde", "", "fghij"], dtype: "S5" });
    f.create_dataset({
      name: "chars",
      data: ["a", "b", "c", "d", "e", "f"],
      shape: [2, 3],
      dtype: "S1",
    });
    f.create_dataset({ name: "names", data: ["alpha", "β-beta", "", "gamma gamma"] });
    f.create_dataset({
      name: "complex",
      data: new Map([["r", [1, 3, -1]], ["i", [2, 4, 0.5]]]),
      shape: [3],
      dtype: [["r", "<f8"], ["i", "<f8"]],
    });
    f.create_dataset({
      name: "record",
      data: new Map([["a", [1, 3]], ["b", [2.5, 4.5]]]),
      shape: [2],
      dtype: [["a", "<i4"], ["b", "<f8"]],
    });
    f.create_dataset({
      name: "plain",
      data: ramp(Float32Array, 16, (i) => i),
      shape: [4, 4],
    });

    const sub = f.create_group("sub");
    sub.create_attribute("description", "a netCDF-4 group");
    const humid = sub.create_dataset({
      name: "humidity",
      data: ramp(Float64Array, ny * nx, (i) => i / 100),
      shape: [ny, nx],
      chunks: [4, 4],
      compression: 1,
    });
    humid.attach_scale(0, "/lat");
    humid.attach_scale(1, "/lon");
    humid.create_attribute("units", "1");
    const deeper = sub.create_group("deeper");
    deeper.create_dataset({ name: "flag", data: new Uint8Array([1, 0, 1]) });
  } finally {
    f.close();
  }
}

/** Days in each month of a non-leap year. */
export const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Writes monthly netCDF-4 style files `dir/clim_MM.nc`: an unlimited `time`
 * of 28-31 days, `lat`, `temp(time, lat)` and a time-less `mask(lat)`.
 * Returns the paths; `odd` gives one month other time units or another lat size.
 */
export async function writeMonthlyFiles(
  dir: string,
  months = 12,
  odd?: { month: number; units?: string; lats?: number },
): Promise<string[]> {
  await h5Module();
  const paths: string[] = [];
  let day = 0;
  for (let m = 0; m < months; m++) {
    const days = MONTH_DAYS[m % 12];
    const path = `${dir}/clim_${String(m + 1).padStart(4, "0")}.nc`;
    const f = new h5wasm.File(path, "w");
    try {
      f.create_attribute("title", "monthly fixture");
      const time = f.create_dataset({
        name: "time",
        data: ramp(Float64Array, days, (i) => day + i),
        maxshape: [null],
        chunks: [8],
      });
      time.make_scale("time");
      const isOdd = odd?.month === m;
      const nlat = (isOdd && odd?.lats) || 3;
      time.create_attribute("units", (isOdd && odd?.units) || "days since 2001-01-01");
      const lat = f.create_dataset({ name: "lat", data: ramp(Float32Array, nlat, (i) => i * 10) });
      lat.make_scale("lat");
      const temp = f.create_dataset({
        name: "temp",
        data: ramp(
          Float32Array,
          days * nlat,
          (i) => (day + Math.floor(i / nlat)) * 10 + (i % nlat),
        ),
        shape: [days, nlat],
        maxshape: [null, nlat],
        chunks: [10, nlat],
        compression: 1,
      });
      temp.attach_scale(0, "time");
      temp.attach_scale(1, "lat");
      temp.create_attribute("units", "K");
      const mask = f.create_dataset({
        name: "mask",
        data: Int8Array.from({ length: nlat }, (_, i) => (i === 0 ? 1 : i === 2 ? m % 2 : 0)),
      });
      mask.attach_scale(0, "lat");
    } finally {
      f.close();
    }
    paths.push(path);
    day += days;
  }
  return paths;
}
