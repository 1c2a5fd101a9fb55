"""Prints what the examples must print, computed from the demo's files with xr.open_dataset
(and from the template's formula): JSON, for each example its expected substrings, one per line
of its output. Runs under both generations; each checks the examples it runs against its own.

usage: demo_expect.py DEMO_DATA_DIR
"""
import json
import math
import sys

import numpy as np
import xarray as xr

d = sys.argv[1]
weather = xr.open_dataset(f"{d}/weather.nc")
monthly = xr.open_mfdataset(f"{d}/monthly/2021-*.nc", combine="nested", concat_dim="time",
                            data_vars="minimal", coords="minimal", compat="override")
classic = xr.open_dataset(f"{d}/classic.nc")
raw = xr.open_dataset(f"{d}/weather.nc", mask_and_scale=False)


def cube(hour, level, lat_index):
    lat = math.radians(90 - 0.1 * lat_index)
    return np.float32(280 + 25 * math.cos(lat) + 3 * math.sin(2 * math.pi * hour / 24)
                      + 0.00002 * hour - 0.5 * level)


t2m = weather.t2m.isel(time=0).sel(lat=2.5, lon=180.0)
sst_missing = int(weather.sst.isel(time=0).isnull().sum())
band = raw.t2m.isel(time=0).values
band = band[band != -32767]
expected = {
    "read_xarray.py": [
        f"t2m at 2021-06-01 00:00, 2.5N 180E: {float(t2m):.2f} K",
        f"sst units: °C, missing (land) points: {sst_missing}",
        f"365 days; July mean t2m: {float(monthly.t2m.sel(time='2021-07').mean()):.2f} K",
        "air_celsius at the equator: 30.00 °C (computed on request: air - 273.15)",
        f"876600 hours; t at 2049-12-31 23:00, level 10, lat 0.0: "
        f"{float(cube(876599, 10, 900)):.2f} K",
        f"maximum t2m: {float(classic.t2m.max()):.2f} K",
    ],
    "read_zarrita.ts": [
        f"weather/sst[0,17,36] = {float(weather.sst.values[0, 17, 36]):.3f} (v2 and v3 agree",
        f"monthly/t2m[200,9,18] = {float(monthly.t2m.values[200, 9, 18]):.3f} (v2 and v3 agree",
        f"hypotheticube/t[876599,10,900,0] = {float(cube(876599, 10, 900)):.3f} (v2 and v3 agree",
        f"classic/t2m[7,9,18] = {float(classic.t2m.values[7, 9, 18]):.3f} (v2 and v3 agree",
        f"weather_sharded/sst[0,17,36] = {float(weather.sst.values[0, 17, 36]):.3f} (v3, sharded)",
    ],
    "read_gdal.sh": [
        "Driver: Zarr/Zarr",
        "Size is 72, 36",
        f"STATISTICS_MINIMUM={int(band.min())}",
        f"STATISTICS_MAXIMUM={int(band.max())}",
    ],
}
print(json.dumps(expected, ensure_ascii=False))
