"""Writes the static Zarr copy a user would make: xarray to_zarr, same chunks.

usage: static_copy.py FILE.nc OUT.zarr [--like-source]
By default with to_zarr's default compressor (Blosc lz4 + shuffle); with --like-source,
with the file's own codecs (shuffle + zlib at the file's level), so that the only
difference left is the server. Either way each variable keeps the file's encoding (its
dtype, packing and fill value): to_zarr's `encoding` argument replaces a variable's encoding
rather than adding to it, so a copy that named only chunks and codecs held unpacked floats,
which today's xarray reads with less work than the packed integers the file holds.
"""
import sys

import numcodecs
import xarray as xr

COPY_VERSION = 2  # 2: the file's dtype, packing and fill value kept
src, out = sys.argv[1], sys.argv[2]
like_source = "--like-source" in sys.argv
ds = xr.open_dataset(src)
encoding = {}
for name, var in ds.data_vars.items():
    enc = var.encoding
    if not enc.get("chunksizes"):
        continue
    kept = ("dtype", "scale_factor", "add_offset", "_FillValue", "missing_value")
    encoding[name] = {k: enc[k] for k in kept if k in enc} | {"chunks": enc["chunksizes"]}
    if like_source:
        encoding[name]["compressor"] = numcodecs.Zlib(level=enc.get("complevel", 4))
        if enc.get("shuffle"):
            encoding[name]["filters"] = [numcodecs.Shuffle(elementsize=enc["dtype"].itemsize)]
ds.to_zarr(out, mode="w", encoding=encoding, consolidated=True)
# bench/run.ts rewrites copies made by an older version of this script.
with open(f"{out}/copy-version", "w") as f:
    f.write(f"{COPY_VERSION}\n")
print(f"wrote {out}")
