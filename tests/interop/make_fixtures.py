"""Writes interop fixtures with the real netCDF-C (netCDF4-python) and HDF5 (h5py).

usage: make_fixtures.py DIR
"""
import sys

import h5py
import netCDF4
import numpy as np


def netcdf_file(path, fmt="NETCDF4"):
    """A CF-style netCDF-4 file: coordinates, packed data, times, groups, strings."""
    nc = netCDF4.Dataset(path, "w", format=fmt)
    nc.Conventions = "CF-1.8"
    nc.title = "zarrflask interop fixture"
    nc.history = "written by netCDF4-python"
    nc.createDimension("time", None)
    nc.createDimension("lat", 19)
    nc.createDimension("lon", 36)
    nc.createDimension("nv", 2)
    nc.createDimension("station", 3)
    nc.createDimension("strlen", 6)

    time = nc.createVariable("time", "f8", ("time",))
    time.units = "days since 2000-01-01"
    time.calendar = "noleap"
    time.standard_name = "time"
    time[:] = np.arange(10) * 1.5
    lat = nc.createVariable("lat", "f4", ("lat",))
    lat.units = "degrees_north"
    lat.bounds = "lat_bnds"
    lat[:] = np.linspace(-90, 90, 19)
    lon = nc.createVariable("lon", "f4", ("lon",))
    lon.units = "degrees_east"
    lon[:] = np.arange(36) * 10.0
    bnds = nc.createVariable("lat_bnds", "f8", ("lat", "nv"))
    bnds[:] = np.stack([np.linspace(-95, 85, 19), np.linspace(-85, 95, 19)], axis=1)

    rng = np.random.default_rng(42)
    temp = nc.createVariable(
        "temp", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True,
        chunksizes=(4, 10, 16), fill_value=np.float32(-999.0),
    )
    temp.units = "K"
    temp.standard_name = "air_temperature"
    temp.valid_range = np.array([150, 350], "f4")
    data = (250 + 40 * rng.random((10, 19, 36))).astype("f4")
    data[0, 0, :5] = -999.0
    temp[:] = data

    packed = nc.createVariable("precip", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767))
    packed.scale_factor = np.float32(0.01)
    packed.add_offset = np.float32(10.0)
    packed.units = "mm/day"
    packed.set_auto_maskandscale(False)
    raw = rng.integers(-1000, 1000, (10, 19, 36)).astype("i2")
    raw[1, 2, 3] = -32767
    packed[:] = raw

    for code in ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f8"]:
        v = nc.createVariable(f"v_{code}", code, ("lon",))
        info = np.iinfo(code) if code[0] in "iu" else np.finfo(code)
        v[:] = np.linspace(info.min / 2 if code[0] != "u" else 0, info.max / 2, 36).astype(code)

    names = nc.createVariable("station_name", "S1", ("station", "strlen"))
    names[:] = netCDF4.stringtochar(np.array(["alpha", "beta", "gam"], "S6"))
    labels = nc.createVariable("label", str, ("station",))
    labels[:] = np.array(["Zürich", "", "long label with spaces"], dtype=object)
    scalar = nc.createVariable("crs", "i4", ())
    scalar.grid_mapping_name = "latitude_longitude"
    scalar[()] = 0

    sub = nc.createGroup("forecast")
    sub.description = "a netCDF-4 subgroup"
    sub.createDimension("step", 4)
    step = sub.createVariable("step", "i4", ("step",))
    step.units = "hours"
    step[:] = [0, 6, 12, 18]
    t2 = sub.createVariable("t2m", "f8", ("step", "lat", "lon"), zlib=True, complevel=1)
    t2.units = "K"
    t2[:] = rng.random((4, 19, 36))
    nc.close()


def h5py_file(path, libver):
    """Plain HDF5 with the types only h5py writes: bool, complex, compound, enum, f2, BE."""
    with h5py.File(path, "w", libver=libver) as f:
        f.attrs["origin"] = "h5py"
        f["bool"] = np.array([True, False, True, True])
        f["c64"] = (np.arange(5) + 1j * np.arange(5)).astype("c8")
        f["c128"] = (np.arange(5) - 2j * np.arange(5)).astype("c16")
        rec = np.zeros(4, dtype=[("id", "<i4"), ("value", "<f8"), ("tag", "S3")])
        rec["id"] = [1, 2, 3, 4]
        rec["value"] = [0.5, 1.5, 2.5, 3.5]
        rec["tag"] = [b"a", b"bb", b"ccc", b""]
        f["record"] = rec
        enum_t = h5py.enum_dtype({"clear": 0, "cloudy": 1, "rain": 2}, basetype="u1")
        f.create_dataset("sky", data=np.array([0, 1, 2, 1], "u1"), dtype=enum_t)
        f["half"] = np.linspace(-2, 2, 9).astype("f2")
        f["big_i4"] = np.arange(-6, 6).astype(">i4").reshape(3, 4)
        f["big_f8"] = np.linspace(0, 1, 7).astype(">f8")
        f["fixed"] = np.array([b"abc", b"de", b""], "S4")
        f["vlen"] = np.array(["x", "yy", "zzz"], dtype=h5py.string_dtype())
        f.create_dataset("chunked", data=np.arange(1000.0).reshape(25, 40), chunks=(7, 9),
                         compression="gzip", shuffle=True, fletcher32=True)
        f.create_dataset("lzf", data=np.arange(10.0), chunks=(5,), compression="lzf")
        f["scalar"] = np.float64(2.5)
        g = f.create_group("nested/deeper")
        g["ints"] = np.arange(6, dtype="u2")


def monthly_files(folder, fmt="NETCDF4"):
    """Twelve monthly files (netCDF-4, or netCDF-3 in `fmt`) of 28-31 days, as an archive ships them."""
    import os
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(1)
    day = 0
    for month, days in enumerate([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], start=1):
        nc = netCDF4.Dataset(f"{folder}/clim_{month:02d}.nc", "w", format=fmt)
        nc.title = "monthly climate"
        nc.createDimension("time", None)
        nc.createDimension("lat", 6)
        nc.createDimension("lon", 8)
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "days since 2001-01-01"
        t.calendar = "standard"
        t[:] = np.arange(day, day + days)
        lat = nc.createVariable("lat", "f4", ("lat",))
        lat.units = "degrees_north"
        lat[:] = np.linspace(-50, 50, 6)
        lon = nc.createVariable("lon", "f4", ("lon",))
        lon[:] = np.arange(8) * 45.0
        packing = dict(zlib=True, shuffle=True, chunksizes=(10, 6, 8)) if fmt == "NETCDF4" else {}
        temp = nc.createVariable("temp", "f4", ("time", "lat", "lon"), fill_value=np.float32(-999),
                                 **packing)
        temp.units = "K"
        data = (270 + 30 * rng.random((days, 6, 8))).astype("f4")
        data[0, 0, 0] = -999
        temp[:] = data
        pr = nc.createVariable("pr", "i2", ("time", "lat", "lon"), fill_value=np.int16(-1))
        pr.scale_factor = np.float32(0.1)
        pr.set_auto_maskandscale(False)
        pr[:] = rng.integers(0, 500, (days, 6, 8)).astype("i2")
        orog = nc.createVariable("orog", "f4", ("lat", "lon"))
        orog.units = "m"
        orog[:] = rng.random((6, 8)) * 1000
        nc.close()
        day += days


if __name__ == "__main__":
    out = sys.argv[1]
    netcdf_file(f"{out}/cf.nc")
    monthly_files(f"{out}/monthly")
    monthly_files(f"{out}/monthly3", "NETCDF3_CLASSIC")
    h5py_file(f"{out}/types_earliest.h5", "earliest")
    h5py_file(f"{out}/types_latest.h5", "latest")
    print("fixtures written")
