"""Writes a small netCDF-4 file whose variable v is filled with VALUE (netCDF4-python).

usage: write_small.py OUT.nc VALUE [shuffle]   (shuffle: zlib + shuffle, as netCDF users write)
"""
import sys

import netCDF4
import numpy as np

out, value = sys.argv[1], float(sys.argv[2])
packed = sys.argv[3:] == ["shuffle"]
with netCDF4.Dataset(out, "w") as nc:
    nc.createDimension("x", 8)
    # Uncompressed by default, so that the stored bytes are the values.
    v = nc.createVariable("v", "f4", ("x",), chunksizes=(8,), zlib=packed, shuffle=packed)
    v.units = "m"
    v[:] = np.full(8, value, dtype="f4")
