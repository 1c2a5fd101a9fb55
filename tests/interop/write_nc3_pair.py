"""Writes a small classic netCDF-3 file whose variable v holds VALUE (netCDF4-python).

usage: write_nc3_pair.py OUT.nc VALUE
"""
import sys

import netCDF4
import numpy as np

out, value = sys.argv[1], float(sys.argv[2])
with netCDF4.Dataset(out, "w", format="NETCDF3_CLASSIC") as nc:
    nc.createDimension("x", 16)
    v = nc.createVariable("v", "f4", ("x",))
    v.units = "m"
    v[:] = np.full(16, value, dtype="f4")
