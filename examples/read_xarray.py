"""Opens every demo dataset with xarray, prints a summary and one value from each, and draws
one field to a PNG when matplotlib is installed.

usage: python3 examples/read_xarray.py [BASE_URL] [OUT_DIR]   (default http://127.0.0.1:8000
       and the current directory; start the demo first with: deno task serve)
"""
import os
import sys

import xarray as xr

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
out_dir = sys.argv[2] if len(sys.argv) > 2 else "."


def show(name, **options):
    ds = xr.open_zarr(f"{base}/{name}", **options)
    sizes = ", ".join(f"{k}={v}" for k, v in ds.sizes.items())
    print(f"{name}: {sizes}; variables: {', '.join(sorted(ds.data_vars))}")
    return ds


# In memory: a synthetic 6-hourly climate.
climate = show("climate")
print(f"  mean air temperature: {float(climate.air.mean()):.2f} K")

# A netCDF-4 file: t2m is packed int16 (xarray unpacks it), sst has a non-ASCII unit.
weather = show("weather")
t2m = weather.t2m.isel(time=0).sel(lat=2.5, lon=180.0)
print(f"  t2m at {t2m.time.dt.strftime('%Y-%m-%d %H:%M').item()}, 2.5N 180E: {float(t2m):.2f} K")
print(f"  sst units: {weather.sst.attrs['units']}, missing (land) points: "
      f"{int(weather.sst.isel(time=0).isnull().sum())}")

# Twelve monthly files, one dataset along time.
monthly = show("monthly")
july = monthly.t2m.sel(time="2021-07").mean()
print(f"  {monthly.sizes['time']} days; July mean t2m: {float(july):.2f} K")

# Variables computed on request from air.
computed = show("climate_computed")
c = computed.air_celsius.isel(time=0, lat=36, lon=0)
print(f"  air_celsius at the equator: {float(c):.2f} {computed.air_celsius.attrs['units']} "
      f"({computed.air_celsius.attrs['comment']})")

# A template: 100 years hourly, 50 levels at 0.1 degree, 1.1 PB in 394 million chunks; only the
# chunk asked for is made. For an archive this large, open without dask (chunks=None): indexing
# then reads just the chunks a selection needs, where dask would first plan a task per chunk.
cube = show("hypotheticube", chunks=None)
last = cube.t.isel(time=-1, level=10, lat=900, lon=0)
print(f"  {cube.sizes['time']} hours; t at {last.time.dt.strftime('%Y-%m-%d %H:%M').item()}, "
      f"level {int(last.level)}, lat {float(last.lat):.1f}: {float(last):.2f} K")

# A netCDF-3 file.
classic = show("classic")
print(f"  maximum t2m: {float(classic.t2m.max()):.2f} K")

try:
    import matplotlib

    matplotlib.use("Agg")
    weather.t2m.isel(time=0).plot()
    matplotlib.pyplot.savefig(os.path.join(out_dir, "weather_t2m.png"))
    print("drew weather_t2m.png")
except ImportError:
    print("matplotlib is not installed: no picture drawn")
