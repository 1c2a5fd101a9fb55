"""Times xarray reading a Zarr store over HTTP: every variable in full, then one time step.

usage: xarray_read.py URL  -> prints JSON {"full_s", "step_s", "bytes"}
"""
import json
import sys
import time

import xarray as xr

url = sys.argv[1]
t0 = time.perf_counter()
ds = xr.open_zarr(url)
loaded = ds.load()
full = time.perf_counter() - t0
nbytes = int(sum(v.nbytes for v in loaded.data_vars.values()))
t0 = time.perf_counter()
step = xr.open_zarr(url).isel(time=0).load()
one = time.perf_counter() - t0
print(json.dumps({"full_s": full, "step_s": one, "bytes": nbytes}))
