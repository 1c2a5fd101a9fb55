"""Writes the demo's files with netCDF4-python, once (they are committed; all under 3 MB):

  demo/data/weather.nc        netCDF-4, CF-encoded: packed int16 t2m, times, a fill value, a
                              non-ASCII unit (sst in °C), zlib + shuffle
  demo/data/monthly/2021-MM.nc  twelve monthly netCDF-4 files of daily t2m, to aggregate on time
  demo/data/classic.nc        netCDF-3 classic: the same kind of field, big-endian on disk

usage: /usr/bin/python3 demo/make_demo.py [OUT_DIR]   (default: demo/data next to this script)
"""
import calendar
import os
import sys

import netCDF4
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "data")
os.makedirs(os.path.join(out, "monthly"), exist_ok=True)


def field(t, lat, lon, phase=0.0):
    """A smooth temperature field (K): warm tropics, a travelling wave, a daily cycle."""
    la = np.radians(lat)[None, :, None]
    lo = np.radians(lon)[None, None, :]
    tt = np.asarray(t, "f8")[:, None, None]
    return (273.15 + 30 * np.cos(la) - 8 + 4 * np.sin(lo - 2 * np.pi * tt / 30 + phase)
            + 2 * np.sin(2 * np.pi * tt) * np.cos(la))


def coords(nc, lat, lon):
    y = nc.createVariable("lat", "f4", ("lat",))
    y.units, y.standard_name, y.axis = "degrees_north", "latitude", "Y"
    y[:] = lat
    x = nc.createVariable("lon", "f4", ("lon",))
    x.units, x.standard_name, x.axis = "degrees_east", "longitude", "X"
    x[:] = lon


# weather.nc: 12 days, 6-hourly, 5-degree grid
lat = np.arange(87.5, -90, -5.0)
lon = np.arange(0, 360, 5.0)
days = np.arange(48) / 4
with netCDF4.Dataset(os.path.join(out, "weather.nc"), "w") as nc:
    nc.title = "zarrflask demo: weather, 6-hourly (Météo synthétique)"
    nc.Conventions = "CF-1.8"
    nc.createDimension("time", None)
    nc.createDimension("lat", len(lat))
    nc.createDimension("lon", len(lon))
    t = nc.createVariable("time", "f8", ("time",))
    t.units, t.calendar, t.standard_name = "days since 2021-06-01 00:00:00", "standard", "time"
    t[:] = days
    coords(nc, lat, lon)
    t2m = nc.createVariable("t2m", "i2", ("time", "lat", "lon"), zlib=True, shuffle=True,
                            chunksizes=(12, 36, 72), fill_value=np.int16(-32767))
    t2m.units, t2m.standard_name, t2m.long_name = "K", "air_temperature", "2 m temperature"
    t2m.scale_factor, t2m.add_offset = np.float32(0.01), np.float32(273.15)
    values = field(days, lat, lon)
    values[:, 0, :4] = np.nan  # a few missing values near the pole
    t2m[:] = np.ma.masked_invalid(values)
    sst = nc.createVariable("sst", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True,
                            chunksizes=(12, 36, 72), fill_value=np.float32(-999))
    sst.units, sst.long_name = "°C", "sea surface temperature"
    s = field(days, lat, lon) - 273.15
    land = (np.abs(lat)[:, None] > 60) | ((lon[None, :] > 100) & (lon[None, :] < 140))
    sst[:] = np.ma.masked_array(s, mask=np.broadcast_to(land, s.shape))

# monthly/2021-MM.nc: daily t2m on a 10-degree grid, one file per month
lat10 = np.arange(85, -90, -10.0)
lon10 = np.arange(0, 360, 10.0)
day0 = 0
for month in range(1, 13):
    n = calendar.monthrange(2021, month)[1]
    with netCDF4.Dataset(os.path.join(out, "monthly", f"2021-{month:02d}.nc"), "w") as nc:
        nc.title = f"zarrflask demo: daily t2m, 2021-{month:02d}"
        nc.createDimension("time", None)
        nc.createDimension("lat", len(lat10))
        nc.createDimension("lon", len(lon10))
        t = nc.createVariable("time", "f8", ("time",))
        t.units, t.calendar = "days since 2021-01-01", "standard"
        t[:] = day0 + np.arange(n)
        coords(nc, lat10, lon10)
        v = nc.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True,
                              chunksizes=(n, 18, 36))
        v.units, v.long_name = "K", "daily mean 2 m temperature"
        seasonal = 10 * np.sin(2 * np.pi * (day0 + np.arange(n) - 100) / 365)
        v[:] = (field(day0 + np.arange(n), lat10, lon10)
                + seasonal[:, None, None] * np.sin(np.radians(lat10))[None, :, None])
    day0 += n

# classic.nc: netCDF-3 classic (big-endian on disk), no compression
with netCDF4.Dataset(os.path.join(out, "classic.nc"), "w", format="NETCDF3_CLASSIC") as nc:
    nc.title = "zarrflask demo: a netCDF-3 classic file"
    nc.createDimension("time", None)
    nc.createDimension("lat", len(lat10))
    nc.createDimension("lon", len(lon10))
    t = nc.createVariable("time", "f8", ("time",))
    t.units = "hours since 2021-01-01"
    t[:] = np.arange(8) * 3
    coords(nc, lat10, lon10)
    v = nc.createVariable("t2m", "f4", ("time", "lat", "lon"), fill_value=np.float32(1e20))
    v.units = "K"
    v[:] = field(np.arange(8) / 8, lat10, lon10)
print(f"demo files written to {out}")
