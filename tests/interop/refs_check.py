"""Writes a chunked netCDF-4 file, or compares a store read through kerchunk references (fsspec's
reference filesystem) with the same store read through zarrflask.

usage: refs_check.py write OUT.nc [contiguous]   (contiguous: adds a 2.4 MB contiguous variable c)
       refs_check.py compare REFS_URL STORE_URL   -> prints "refs ok" or fails
"""
import sys

import numpy as np

if sys.argv[1] == "write":
    import netCDF4

    with netCDF4.Dataset(sys.argv[2], "w") as nc:
        nc.title = "references"
        nc.createDimension("time", None)
        nc.createDimension("lat", 20)
        nc.createDimension("lon", 30)
        t = nc.createVariable("time", "f8", ("time",), chunksizes=(4,))
        t.units = "hours since 2000-01-01"
        lat = nc.createVariable("lat", "f4", ("lat",), contiguous=False, chunksizes=(20,))
        lat[:] = np.linspace(-45, 45, 20)
        lon = nc.createVariable("lon", "f4", ("lon",), contiguous=False, chunksizes=(30,))
        lon[:] = np.arange(30) * 12.0
        v = nc.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True,
                              chunksizes=(3, 10, 15), fill_value=np.float32(-999))
        v.units = "K"
        t[:] = np.arange(10)
        v[:] = 250 + np.arange(10 * 20 * 30, dtype="f4").reshape(10, 20, 30) / 100
        v[9, 0, 0] = np.ma.masked
        if sys.argv[3:] == ["contiguous"]:
            nc.createDimension("big", 300_000)
            c = nc.createVariable("c", "f8", ("big",), contiguous=True)
            c[:] = np.arange(300_000)
    print("written")
else:
    import fsspec
    import xarray as xr

    refs_url, store_url = sys.argv[2], sys.argv[3]
    fs = fsspec.filesystem("reference", fo=refs_url, remote_protocol="http")
    direct = xr.open_zarr(fs.get_mapper(""), consolidated=False)
    served = xr.open_zarr(store_url)
    xr.testing.assert_identical(direct.load(), served.load())
    assert np.isnan(direct["t2m"].values[9, 0, 0])
    print("refs ok", sorted(direct.data_vars), dict(direct.sizes))
