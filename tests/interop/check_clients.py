"""Reads zarrflask stores with the real xarray and zarr-python and compares with the files.

usage: check_clients.py BASE_URL DIR
Exits non-zero, naming every mismatch, if any client disagrees with the file.
"""
import sys
import traceback

import fsspec
import h5py
import numpy as np
import xarray as xr
import zarr

base, folder = sys.argv[1], sys.argv[2]
failures = []


def check(label, fn):
    try:
        fn()
        print(f"ok   {label}")
    except Exception:  # noqa: BLE001 - report every failure, then exit non-zero
        failures.append(label)
        print(f"FAIL {label}\n{traceback.format_exc()}")


def same_dataset(group=None, consolidated=True):
    want = xr.open_dataset(f"{folder}/cf.nc", group=group).load()
    got = xr.open_zarr(f"{base}/cf", group=group, consolidated=consolidated).load()
    xr.testing.assert_identical(got, want)
    for name, var in want.variables.items():
        enc_w, enc_g = var.encoding, got[name].encoding
        assert var.dtype == got[name].dtype, name
        for key in ("scale_factor", "add_offset", "units", "calendar"):
            if key in enc_w:
                assert key in enc_g and np.all(enc_g[key] == enc_w[key]), (name, key)
        if "dtype" in enc_w and var.dtype.kind != "O":  # netCDF4 says str, zarr says object
            assert enc_g["dtype"] == enc_w["dtype"], (name, enc_g["dtype"], enc_w["dtype"])


for consolidated in (True, False):
    check(f"xarray open_zarr == open_dataset (cf.nc, consolidated={consolidated})",
          lambda c=consolidated: same_dataset(consolidated=c))
    check(f"xarray group forecast (consolidated={consolidated})",
          lambda c=consolidated: same_dataset("forecast", consolidated=c))


def packed_stays_packed():
    ds = xr.open_zarr(f"{base}/cf", mask_and_scale=False)
    assert ds.precip.dtype == np.int16, ds.precip.dtype
    assert ds.precip.attrs["scale_factor"] == np.float32(0.01)
    raw = xr.open_dataset(f"{folder}/cf.nc", mask_and_scale=False)
    np.testing.assert_array_equal(ds.precip.values, raw.precip.values)
    times = xr.open_zarr(f"{base}/cf", decode_times=False).time
    assert times.attrs["calendar"] == "noleap" and times.dtype == np.float64


check("packed ints stay packed, times stay numeric", packed_stays_packed)


def stored_codecs_reach_python():
    # fsspec sends aiohttp's User-Agent: the default server gives it the file's own codecs
    meta = fsspec.get_mapper(f"{base}/cf")["temp/.zarray"]
    import json
    assert {"id": "shuffle", "elementsize": 4} in (json.loads(meta)["filters"] or []), meta


check("xarray/zarr-python get the stored codecs, shuffle included", stored_codecs_reach_python)


def h5py_vs_zarr(name, consolidated):
    url = f"{base}/{name}"
    mapper = fsspec.get_mapper(url)
    root = zarr.open_consolidated(mapper) if consolidated else zarr.open_group(mapper, mode="r")
    with h5py.File(f"{folder}/{name}.h5", "r") as f:
        expected = {}
        f.visititems(lambda k, v: expected.__setitem__(k, v) if isinstance(v, h5py.Dataset) else None)
        for key, dset in expected.items():
            arr = root[key]
            want = dset.asstr()[()] if h5py.check_string_dtype(dset.dtype) and \
                h5py.check_string_dtype(dset.dtype).length is None else dset[()]
            got = arr[()]
            if want.dtype.names:
                assert got.dtype.names == want.dtype.names, key
                for field in want.dtype.names:
                    np.testing.assert_array_equal(got[field], want[field], err_msg=f"{key}.{field}")
            else:
                assert got.dtype == want.dtype.newbyteorder("=") or got.dtype.kind == "O", \
                    (key, got.dtype, want.dtype)
                np.testing.assert_array_equal(got, want, err_msg=key)
        assert root["sky"].attrs["flag_meanings"] == "clear cloudy rain"


for name in ("types_earliest", "types_latest"):
    for consolidated in (True, False):
        check(f"zarr-python {name} (consolidated={consolidated}) == h5py",
              lambda n=name, c=consolidated: h5py_vs_zarr(n, c))


def xarray_on_plain_hdf5():
    ds = xr.open_zarr(f"{base}/types_latest").load()
    with h5py.File(f"{folder}/types_latest.h5", "r") as f:
        np.testing.assert_array_equal(ds.c128.values, f["c128"][()])
        np.testing.assert_array_equal(ds.bool.values, f["bool"][()])
        np.testing.assert_array_equal(ds.big_i4.values, f["big_i4"][()])
        assert list(ds.vlen.values) == ["x", "yy", "zzz"]
        assert ds.big_i4.dims[0].startswith("phony_dim_")


check("xarray reads plain HDF5 types (phony dims)", xarray_on_plain_hdf5)

def aggregation_matches_open_mfdataset(sub, name, consolidated):
    import glob
    files = sorted(glob.glob(f"{folder}/{sub}/clim_*.nc"))
    want = xr.open_mfdataset(files, combine="nested", concat_dim="time", data_vars="minimal",
                             coords="minimal", compat="override").load()
    got = xr.open_zarr(f"{base}/{name}", consolidated=consolidated).load()
    xr.testing.assert_identical(got, want)
    assert got.sizes["time"] == 365


for sub, name in (("monthly", "clim"), ("monthly3", "clim3")):
    for consolidated in (True, False):
        check(f"aggregation of {sub} == xarray.open_mfdataset (consolidated={consolidated})",
              lambda s=sub, n=name, c=consolidated: aggregation_matches_open_mfdataset(s, n, c))

if failures:
    print(f"{len(failures)} client check(s) failed: {failures}")
    sys.exit(1)
print("all client checks passed")
