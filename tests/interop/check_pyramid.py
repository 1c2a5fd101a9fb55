"""Checks a zarrflask pyramid against xarray's own coarsening of the file it serves.

usage: check_pyramid.py PYRAMID_URL FILE Y X
Every level k (group "k") must equal xr.open_dataset(FILE).coarsen({Y: 2**k, X: 2**k},
boundary="pad").mean() (NaN, fill values and missing_value left out, packed values unpacked),
variables and coordinates, to float32 rounding. With xarray that has it, open_datatree reads
every level too, and GDAL's multidimensional API reads the coarsest level. Prints one line per
level and "pyramid ok".
"""
import sys

import numpy as np
import xarray as xr

url, path, ydim, xdim = sys.argv[1:5]
src = xr.open_dataset(path)
# What the server's levels leave out: a float64 missing_value on a float32 variable is stored
# rounded to float32. xarray 2023.01 (numpy 1) masks it; xarray with numpy 2 does not, and the
# pyramid does, as the file means. Level 0 is the file itself, as each xarray decodes it.
masked = src.copy()
for name, var in src.data_vars.items():
    mv = var.encoding.get("missing_value")
    if mv is not None and var.dtype == np.float32:
        masked[name] = var.where(var != np.float32(mv))
root = xr.open_zarr(url, group="0")
levels = [lay["asset"] for lay in xr.open_zarr(url).attrs["multiscales"]["layout"]] \
    if "multiscales" in xr.open_zarr(url).attrs else None
assert levels, "no multiscales layout at the root"
for asset in levels:
    k = int(asset)
    got = xr.open_zarr(url, group=asset).load()
    want = src if k == 0 else masked.coarsen({ydim: 2**k, xdim: 2**k}, boundary="pad").mean()
    for name in want.variables:
        if name not in got.variables:
            raise SystemExit(f"level {k}: {name} missing")
        if k > 0 and "flag_values" in src[name].attrs:
            # Categories take the value most frequent among the source values a cell covers.
            flags = sorted(set(np.asarray(src[name].attrs["flag_values"]).tolist()))
            counts = xr.concat([
                (src[name] == f).coarsen({ydim: 2**k, xdim: 2**k}, boundary="pad").sum()
                for f in flags
            ], dim="flag")
            mode = np.asarray(flags, "f8")[counts.argmax("flag").values]
            mode[counts.sum("flag").values == 0] = np.nan
            np.testing.assert_array_equal(got[name].values, mode, err_msg=f"level {k} {name}")
            continue
        a, b = got[name].values, want[name].values
        assert a.shape == b.shape, f"level {k} {name}: shape {a.shape} != {b.shape}"
        if np.issubdtype(b.dtype, np.floating):
            np.testing.assert_allclose(a, b, rtol=2e-6, atol=0, equal_nan=True,
                                       err_msg=f"level {k} {name}")
        else:
            assert (a == b).all(), f"level {k} {name} differs"
    print(f"level {k}: {', '.join(f'{n}{tuple(got[n].shape)}' for n in got.data_vars)} equal")
# GDAL's multidimensional API reads a level too (the last, coarsest one).
from osgeo import gdal  # noqa: E402

gdal.UseExceptions()
top = levels[-1]
want = masked.coarsen({ydim: 2**int(top), xdim: 2**int(top)}, boundary="pad").mean()
gds = gdal.OpenEx(f'ZARR:"/vsicurl/{url}"', gdal.OF_MULTIDIM_RASTER)
groups = gds.GetRootGroup().GetGroupNames()
assert sorted(groups) == sorted(levels), f"GDAL sees groups {groups}"
for name in [n for n in want.data_vars if "flag_values" not in src[n].attrs]:
    arr = gds.GetRootGroup().OpenGroup(top).OpenMDArray(name)
    np.testing.assert_allclose(arr.ReadAsArray(), want[name].values, rtol=2e-6, equal_nan=True,
                               err_msg=f"GDAL level {top} {name}")
    print(f"GDAL {gdal.__version__}: level {top} {name} equal")
if hasattr(xr, "open_datatree"):
    tree = xr.open_datatree(url, engine="zarr")
    assert sorted(tree.children) == sorted(levels), sorted(tree.children)
    print(f"open_datatree: {len(tree.children)} levels")
print("pyramid ok")
