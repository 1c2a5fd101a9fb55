"""Writes the benchmark file: a CF netCDF-4 climate file like a reanalysis year.

usage: make_climate.py OUT.nc [--small] [--uncompressed]
Full: time 365 x lat 721 x lon 1440, chunks (24, 181, 360), zlib+shuffle, with a
float32 and a packed int16 variable. --small: 48 time steps (fits in a minute).
--uncompressed writes contiguous variables instead (a ~2.3 GB file for open tests).
"""
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
small = "--small" in sys.argv
plain = "--uncompressed" in sys.argv
nt, ny, nx = (48 if small else 365), 721, 1440

nc = netCDF4.Dataset(out, "w", format="NETCDF4")
nc.Conventions = "CF-1.8"
nc.title = "zarrflask benchmark climate file"
nc.createDimension("time", nt)
nc.createDimension("lat", ny)
nc.createDimension("lon", nx)
t = nc.createVariable("time", "f8", ("time",))
t.units = "days since 2001-01-01"
t.calendar = "standard"
t[:] = np.arange(nt)
lat = nc.createVariable("lat", "f4", ("lat",))
lat.units = "degrees_north"
lat[:] = np.linspace(90, -90, ny)
lon = nc.createVariable("lon", "f4", ("lon",))
lon.units = "degrees_east"
lon[:] = np.arange(nx) * 0.25
opts = {} if plain else dict(zlib=True, shuffle=True, complevel=4, chunksizes=(24, 181, 360))
t2m = nc.createVariable("t2m", "f4", ("time", "lat", "lon"), fill_value=np.float32(np.nan), **opts)
t2m.units = "K"
t2m.standard_name = "air_temperature"
tp = nc.createVariable("tp", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767), **opts)
tp.scale_factor = np.float32(0.001)
tp.add_offset = np.float32(30.0)
tp.units = "mm"
tp.set_auto_maskandscale(False)

rng = np.random.default_rng(0)
yy, xx = np.meshgrid(np.linspace(-1, 1, ny), np.linspace(0, 2 * np.pi, nx), indexing="ij")
base = (288 - 40 * yy**2 + 5 * np.sin(3 * xx)).astype("f4")
for start in range(0, nt, 24):
    n = min(24, nt - start)
    noise = rng.normal(0, 1.5, (n, ny, nx)).astype("f4")
    block = base[None] + noise + np.arange(start, start + n, dtype="f4")[:, None, None] * 0.01
    # keep 11 mantissa bits, as bit-rounded archives do, so it compresses like real data
    block = (block.view("u4") & np.uint32(0xFFFFF000)).view("f4")
    t2m[start:start + n] = block
    tp[start:start + n] = np.clip((block - 288) * 300, -32000, 32000).astype("i2")
nc.close()
print(f"wrote {out}")
