"""Writes a netCDF-3 (64-bit offset) benchmark file of about 1.3 GB, as model archives ship them.

usage: make_netcdf3.py OUT.nc [N_RECORDS]   (default 170 records; /usr/bin/python3)
Record variables t2m (float32) and tp (packed int16) are interleaved record by record along the
unlimited time dimension (721 x 1440 grid); `clim` (48 x 721 x 1440 float32) is a fixed variable.
"""
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
nt = int(sys.argv[2]) if len(sys.argv) > 2 else 170
ny, nx, nm = 721, 1440, 48
nc = netCDF4.Dataset(out, "w", format="NETCDF3_64BIT_OFFSET")
nc.set_fill_off()
nc.Conventions = "CF-1.8"
nc.title = "zarrflask netCDF-3 benchmark file"
nc.createDimension("time", None)
nc.createDimension("month", nm)
nc.createDimension("lat", ny)
nc.createDimension("lon", nx)
t = nc.createVariable("time", "f8", ("time",))
t.units = "days since 2001-01-01"
lat = nc.createVariable("lat", "f4", ("lat",))
lat.units = "degrees_north"
lat[:] = np.linspace(90, -90, ny)
lon = nc.createVariable("lon", "f4", ("lon",))
lon.units = "degrees_east"
lon[:] = np.arange(nx) * 0.25
t2m = nc.createVariable("t2m", "f4", ("time", "lat", "lon"))
t2m.units = "K"
tp = nc.createVariable("tp", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767))
tp.scale_factor = np.float32(0.001)
clim = nc.createVariable("clim", "f4", ("month", "lat", "lon"))
base = (250 + 40 * np.cos(np.radians(np.linspace(90, -90, ny)))[:, None] * np.ones(nx)).astype("f4")
base += np.random.default_rng(0).random((ny, nx), dtype="f4") * 5  # as noisy as real fields
for i in range(nt):
    t[i] = i
    t2m[i] = base + np.float32(i % 7)
    tp[i] = (base * 10).astype("i2")
for m in range(nm):
    clim[m] = base - m
nc.close()
print(f"wrote {out}")
