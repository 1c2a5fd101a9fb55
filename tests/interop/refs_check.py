"""Writes the files the references tests publish, or reads kerchunk references (fsspec's reference
filesystem) with xarray and compares them with xr.open_dataset of the file and with the store
read through zarrflask.

usage: refs_check.py write OUT.nc [contiguous|small]
         (contiguous: adds a 2.4 MB contiguous variable c; small: lat, lon and a 2-D s contiguous,
         as netCDF-C writes small variables, so the references inline them)
       refs_check.py write-h5 OUT.h5   (h5py: gzip+shuffle 2-D chunks, unwritten chunks with an
         HDF5 fill value, a big-endian dataset in a group)
       refs_check.py compare FILE REFS_URL [FILE REFS_URL ...]   -> prints "refs ok" or fails
         (the store is REFS_URL without /refs.json)
"""
import sys
import warnings

import numpy as np


def write_nc(path, mode):
    import netCDF4

    small = mode == "small"
    with netCDF4.Dataset(path, "w") as nc:
        nc.title = "references"
        nc.createDimension("time", None)
        nc.createDimension("lat", 20)
        nc.createDimension("lon", 30)
        t = nc.createVariable("time", "f8", ("time",), chunksizes=(4,))
        t.units = "hours since 2000-01-01"
        chunked = {} if small else {"contiguous": False}
        lat = nc.createVariable("lat", "f4", ("lat",), **chunked,
                                **({} if small else {"chunksizes": (20,)}))
        lat[:] = np.linspace(-45, 45, 20)
        lon = nc.createVariable("lon", "f4", ("lon",), **chunked,
                                **({} if small else {"chunksizes": (30,)}))
        lon[:] = np.arange(30) * 12.0
        v = nc.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True,
                              chunksizes=(3, 10, 15), fill_value=np.float32(-999))
        v.units = "K"
        t[:] = np.arange(10)
        v[:] = 250 + np.arange(10 * 20 * 30, dtype="f4").reshape(10, 20, 30) / 100
        v[9, 0, 0] = np.ma.masked
        if mode == "contiguous":
            nc.createDimension("big", 300_000)
            c = nc.createVariable("c", "f8", ("big",), contiguous=True)
            c[:] = np.arange(300_000)
        if small:
            # 4800 bytes: above kerchunk's inline threshold, so it gives a byte range
            s = nc.createVariable("s", "f8", ("lat", "lon"))
            s[:] = np.arange(600).reshape(20, 30) / 7


def write_h5(path):
    import h5py

    with h5py.File(path, "w") as f:
        f.attrs["title"] = "h5py references"
        g = f.create_dataset("grid", data=np.arange(100 * 80, dtype="i4").reshape(100, 80),
                             chunks=(30, 25), compression="gzip", shuffle=True)
        g.attrs["units"] = "counts"
        # chunks never written: a reader must get the HDF5 fill value, -7
        s = f.create_dataset("sparse", shape=(60, 95), dtype="f4", chunks=(20, 30),
                             compression="gzip", compression_opts=6, shuffle=True, fillvalue=-7)
        s[:20, :] = np.linspace(0, 1, 20 * 95, dtype="f4").reshape(20, 95)
        s[40:, 60:] = 3.5
        sub = f.create_group("sub")
        sub.create_dataset("be", data=np.arange(4000, dtype=">f8").reshape(40, 100),
                           chunks=(16, 64), compression="gzip", shuffle=True)


def opened_quietly(fn):
    """fn()'s value; fails if zarr or xarray warned while opening."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    ours = [w for w in caught if "zarr" in str(w.filename).lower() or
            "xarray" in str(w.filename).lower() or "Zarr" in type(w.message).__name__]
    assert not ours, [f"{w.category.__name__}: {w.message}" for w in ours]
    return value


def compare(path, refs_url):
    import json

    import fsspec
    import xarray as xr
    import zarr

    zarr3 = int(zarr.__version__.split(".")[0]) >= 3
    # zarr-python 3 reads references as Zarr v2 only when told: they hold .zarray documents
    fmt = {"zarr_format": 2} if zarr3 else {}
    with fsspec.open(refs_url, "rt") as f:
        refs = json.load(f)["refs"]
    urls = [r[0] for r in refs.values() if isinstance(r, list)]
    protocol = "http" if urls and urls[0].startswith("http") else "file"
    options = {"fo": refs_url, "remote_protocol": protocol}
    if zarr3 and protocol == "http":
        # zarr-python 3 makes the reference filesystem asynchronous, and fsspec refuses an HTTP
        # target that is not (zarr-python#2946); a file target is wrapped for it
        options["remote_options"] = {"asynchronous": True}
    groups = [k.removesuffix(".zgroup").rstrip("/") or None for k in refs if k.endswith(".zgroup")]
    for group in groups:
        want = xr.open_dataset(path, engine="netcdf4", group=group).load()
        for consolidated in (True, False):
            got = opened_quietly(lambda c=consolidated: xr.open_zarr(
                "reference://", group=group, consolidated=c, storage_options=options, **fmt)).load()
            xr.testing.assert_identical(got, want)
        served = xr.open_zarr(refs_url.removesuffix("/refs.json"), group=group).load()
        xr.testing.assert_identical(got, served)
        if "t2m" in got:
            assert np.isnan(got["t2m"].values[9, 0, 0])
    inline = sum(isinstance(r, str) and not k.rsplit("/", 1)[-1].startswith(".")
                 for k, r in refs.items())
    print(f"refs ok {path} ({protocol}, zarr {zarr.__version__}, xarray {xr.__version__}): "
          f"groups {groups}, {len(urls)} ranges, {inline} inline")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write_nc(sys.argv[2], (sys.argv[3:] or [None])[0])
        print("written")
    elif sys.argv[1] == "write-h5":
        write_h5(sys.argv[2])
        print("written")
    else:
        args = sys.argv[2:]
        for i in range(0, len(args), 2):
            compare(args[i], args[i + 1])
