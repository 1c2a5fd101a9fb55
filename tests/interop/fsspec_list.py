"""Lists a URL as fsspec's HTTP filesystem does (what zarr-python's unconsolidated reads use),
then opens the store unconsolidated with xarray; prints JSON.

usage: fsspec_list.py URL [VARIABLE]
"""
import json
import sys

import fsspec
import xarray as xr

url = sys.argv[1]
fs = fsspec.filesystem("http")
names = [u["name"].rstrip("/").rsplit("/", 1)[-1] for u in fs.ls(url, detail=True)]
out = {"ls": names}
if len(sys.argv) > 2:
    ds = xr.open_zarr(url, consolidated=False)
    out["value"] = float(ds[sys.argv[2]].max())
print(json.dumps(out))
