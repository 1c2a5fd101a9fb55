"""Times one variable read in full from a remote netCDF-4 file, directly or through a Zarr store.

usage: remote_read.py zarr URL VAR       (xr.open_dataset(engine="zarr", chunks=None) of a
                                         zarrflask store serving the file: the direct read's call
                                         with another engine)
       remote_read.py zarr-dask URL VAR  (xr.open_zarr: dask arrays, then assembled)
       remote_read.py h5 URL VAR         (h5netcdf over fsspec's HTTP file, 1 MiB blocks: a URL
                                         the file answers Range requests at, presigned for S3)
prints JSON {"open_s", "load_s", "client_cpu_s"}. The client is warmed on the same URL first
(imports, fsspec's session, the codecs), so that the times compare ways, not start-up.
"""
import json
import sys
import time

import fsspec
import xarray as xr

way, url, var = sys.argv[1:4]


def opened():
    if way == "zarr":
        return xr.open_dataset(url, engine="zarr", chunks=None)
    if way == "zarr-dask":
        return xr.open_zarr(url)
    f = fsspec.open(url, mode="rb", block_size=1 << 20).open()
    return xr.open_dataset(f, engine="h5netcdf", chunks=None)


warm = opened()
warm[var][(0,) * warm[var].ndim].load()
t0 = time.perf_counter()
c0 = time.process_time()
ds = opened()
t1 = time.perf_counter()
ds[var].load()
t2 = time.perf_counter()
print(json.dumps({"open_s": t1 - t0, "load_s": t2 - t1, "client_cpu_s": time.process_time() - c0}))
