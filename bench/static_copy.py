"""Writes the static Zarr copy a user would make: xarray to_zarr, same chunks.

usage: static_copy.py FILE.nc OUT.zarr [--like-source]
By default with to_zarr's default compressor (Blosc lz4 + shuffle); with --like-source,
with the file's own codecs (shuffle + zlib at the file's level), so that the only
difference left is the server.
"""
import sys

import numcodecs
import xarray as xr

src, out = sys.argv[1], sys.argv[2]
like_source = "--like-source" in sys.argv
ds = xr.open_dataset(src)
encoding = {}
for name, var in ds.data_vars.items():
    enc = var.encoding
    if not enc.get("chunksizes"):
        continue
    encoding[name] = {"chunks": enc["chunksizes"]}
    if like_source:
        encoding[name]["compressor"] = numcodecs.Zlib(level=enc.get("complevel", 4))
        if enc.get("shuffle"):
            encoding[name]["filters"] = [numcodecs.Shuffle(elementsize=enc["dtype"].itemsize)]
ds.to_zarr(out, mode="w", encoding=encoding, consolidated=True)
print(f"wrote {out}")
