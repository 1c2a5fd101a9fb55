"""Writes a netCDF-4 file for pyramid checks (netCDF4-python): odd grid sizes, fill values,
missing_value, packed values, unsigned bytes stored signed (_Unsigned) and a flag variable.

usage: make_pyramid.py OUT.nc
"""
import sys

import netCDF4
import numpy as np

rng = np.random.default_rng(7)
ny, nx = 1101, 1301  # odd: the last cell of each level covers fewer
with netCDF4.Dataset(sys.argv[1], "w") as nc:
    nc.title = "pyramid fixture, ünïcode"
    nc.createDimension("time", 2)
    nc.createDimension("y", ny)
    nc.createDimension("x", nx)
    t = nc.createVariable("time", "f8", ("time",))
    t.units = "days since 2000-01-01"
    t[:] = [0, 1]
    y = nc.createVariable("y", "f4", ("y",))
    y.axis = "Y"
    y.units = "m"
    y[:] = np.linspace(-5e5, 5e5, ny)
    x = nc.createVariable("x", "f4", ("x",))
    x.axis = "X"
    x.units = "m"
    x[:] = np.linspace(-6e5, 6e5, nx)
    temp = nc.createVariable("temp", "f4", ("time", "y", "x"), fill_value=-999.0,
                             chunksizes=(1, 300, 400), zlib=True)
    v = (280 + 10 * rng.standard_normal((2, ny, nx))).astype("f4")
    v[:, 100:400, 200:700] = -999.0  # a block of fill values: some level cells have none valid
    v[0, 0:3, 0:3] = np.nan
    # A float64 missing_value on a float32 variable: stored rounded to float32.
    temp.missing_value = np.float64(-999.9)
    v[1, 800:900, 900:1000] = np.float32(-999.9)
    temp[:] = v
    pack = nc.createVariable("packed", "i2", ("time", "y", "x"), chunksizes=(1, 512, 512))
    pack.set_auto_maskandscale(False)
    pack.scale_factor = np.float32(0.01)
    pack.add_offset = np.float32(100.0)
    pack.missing_value = np.int16(-32768)
    raw = rng.integers(-3000, 3000, (2, ny, nx)).astype("i2")
    raw[:, 500:520, :] = -32768
    pack[:] = raw
    # netCDF's _Unsigned: unsigned bytes stored as signed, packed, 255 (-1 as stored) the fill.
    ub = nc.createVariable("ubyte", "i1", ("y", "x"), fill_value=np.int8(-1))
    ub.set_auto_maskandscale(False)
    ub._Unsigned = "true"
    ub.scale_factor = np.float32(0.5)
    raw8 = rng.integers(-128, 127, (ny, nx)).astype("i1")  # -128..-2 read as 128..254
    raw8[600:700, 0:40] = -1
    ub[:] = raw8
    flags = nc.createVariable("mask", "i1", ("y", "x"), fill_value=np.int8(-1))
    flags.flag_values = np.array([0, 1, 2], "i1")
    flags.flag_meanings = "sea land ice"
    f = rng.integers(0, 3, (ny, nx)).astype("i1")
    f[0:50, 0:50] = -1
    flags[:] = f
print("wrote", sys.argv[1])
