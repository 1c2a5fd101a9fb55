"""Times xarray reading a Zarr store over HTTP: every variable in full, then one time step.

usage: xarray_read.py URL [--full-only]  -> prints JSON {"full_s", "step_s", "bytes", "client_cpu_s"}

The client is warmed first (one element of each variable: dask's thread pool, fsspec's session
and the codecs start once per process, about 1 s here), so that the times compare servers rather
than Python start-up. client_cpu_s is this client's CPU time (all threads) for the full read:
what bounds the read when the server passes chunks through and the client inflates them itself.
"""
import json
import sys
import time

import xarray as xr

url = sys.argv[1]
warm = xr.open_zarr(url)
for name in warm.data_vars:
    warm[name][(0,) * warm[name].ndim].load()

t0 = time.perf_counter()
c0 = time.process_time()
ds = xr.open_zarr(url)
loaded = ds.load()
full = time.perf_counter() - t0
cpu = time.process_time() - c0
nbytes = int(sum(v.nbytes for v in loaded.data_vars.values()))
one = 0.0
if "--full-only" not in sys.argv:
    t0 = time.perf_counter()
    step = xr.open_zarr(url).isel(time=1).load()
    one = time.perf_counter() - t0
print(json.dumps({"full_s": full, "step_s": one, "bytes": nbytes, "client_cpu_s": cpu}))
