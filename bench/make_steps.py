"""Writes a netCDF-4 file chunked one time step per chunk, as ERA5 downloads are: the quick-look
case where a 721x1440 field is one chunk.

usage: make_steps.py OUT.nc
"""
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
with netCDF4.Dataset(out, "w") as nc:
    nc.createDimension("time", 8)
    nc.createDimension("latitude", 721)
    nc.createDimension("longitude", 1440)
    t = nc.createVariable("time", "i4", ("time",))
    t.units = "hours since 1900-01-01 00:00:00.0"
    t.calendar = "gregorian"
    t[:] = 1035840 + np.arange(8)
    lat = nc.createVariable("latitude", "f4", ("latitude",))
    lat.units = "degrees_north"
    lat[:] = np.linspace(90, -90, 721)
    lon = nc.createVariable("longitude", "f4", ("longitude",))
    lon.units = "degrees_east"
    lon[:] = np.arange(1440) * 0.25
    v = nc.createVariable("t2m", "f4", ("time", "latitude", "longitude"), zlib=True, complevel=4,
                          shuffle=True, chunksizes=(1, 721, 1440))
    v.units = "K"
    rng = np.random.default_rng(0)
    y = np.cos(np.radians(lat[:]))[:, None]
    for i in range(8):
        v[i] = 250 + 40 * y + 3 * rng.standard_normal((721, 1440)).astype("f4")
print(f"wrote {out}")
