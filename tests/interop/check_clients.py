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
ZARR3 = int(zarr.__version__.split(".")[0]) >= 3


def assert_same_dataset(got, want):
    """xr.testing.assert_identical, except where today's xarray cannot be identical.

    A packed variable's decoded dtype comes from the Python type of scale_factor (xarray >= 2024):
    a netCDF float32 attribute gives float32, any JSON number float64. Those variables must be
    float64 holding the file's float32 values to float32 rounding.
    """
    got = got.copy()
    for name, var in want.variables.items():
        g = got[name]
        if var.dtype == np.float32 and g.dtype == np.float64 and "scale_factor" in g.encoding:
            ok = np.isnan(var.values) == np.isnan(g.values)
            assert ok.all(), f"{name}: masks differ"
            want_v = var.values[~np.isnan(var.values)]
            np.testing.assert_allclose(g.values.astype(np.float32)[~np.isnan(var.values)],
                                       want_v, rtol=1e-6, atol=1e-6 * np.abs(want_v).max())
            got[name] = g.astype(np.float32)
            got[name].attrs, got[name].encoding = g.attrs, g.encoding
            got[name].values = var.values
    xr.testing.assert_identical(got, want)


def url(name, consolidated=True):
    """The store's URL: zarr-python 2 without consolidated metadata needs /v2/ (.zgroup)."""
    return f"{base}/v2/{name}" if not ZARR3 and not consolidated else f"{base}/{name}"


def opened_quietly(fn):
    """fn()'s value; fails if opening warned (zarr-python 3 warns when both formats answer)."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    zarr_warnings = [w for w in caught if "zarr" in str(w.filename).lower() or
                     "xarray" in str(w.filename).lower() or "Zarr" in type(w.message).__name__]
    assert not zarr_warnings, [f"{w.category.__name__}: {w.message}" for w in zarr_warnings]
    return value


def check(label, fn):
    try:
        fn()
        print(f"ok   {label}")
    except Exception:  # noqa: BLE001 - report every failure, then exit non-zero
        failures.append(label)
        print(f"FAIL {label}\n{traceback.format_exc()}")


def same_dataset(group=None, consolidated=True):
    want = xr.open_dataset(f"{folder}/cf.nc", group=group).load()
    got = opened_quietly(
        lambda: xr.open_zarr(url("cf", consolidated), group=group, consolidated=consolidated)).load()
    assert_same_dataset(got, want)
    for name, var in want.variables.items():
        enc_w, enc_g = var.encoding, got[name].encoding
        for key in ("scale_factor", "add_offset", "units", "calendar"):
            if key in enc_w:
                assert key in enc_g and np.all(enc_g[key] == enc_w[key]), (name, key)
        text = {np.dtype(enc_w.get("dtype", "O")).kind, np.dtype(enc_g.get("dtype", "O")).kind}
        if "dtype" in enc_w and var.dtype.kind != "O" and not text <= set("OUST"):
            # text: netCDF4 says str (or <U), zarr says object
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
    import json
    meta = json.loads(fsspec.get_mapper(f"{base}/cf")[".zmetadata"])["metadata"]["temp/.zarray"]
    assert {"id": "shuffle", "elementsize": 4} in (meta["filters"] or []), meta
    v3 = json.loads(fsspec.get_mapper(f"{base}/cf")["temp/zarr.json"])
    assert {"name": "numcodecs.shuffle", "configuration": {"elementsize": 4}} in v3["codecs"], v3


check("xarray/zarr-python get the stored codecs, shuffle included", stored_codecs_reach_python)


def h5py_vs_zarr(name, consolidated):
    mapper = fsspec.get_mapper(url(name, consolidated))
    root = opened_quietly(lambda: zarr.open_consolidated(mapper) if consolidated
                          else zarr.open_group(mapper, mode="r"))
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
                assert got.dtype == want.dtype.newbyteorder("=") or got.dtype.kind in "OT", \
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


def v2_url_for_v2_only_opens():
    # zarr-python 2 without consolidated metadata, and zarr-python 3 asked for zarr_format=2,
    # need a .zgroup: the /v2/ URL has every v2 document.
    kw = {"zarr_format": 2} if ZARR3 else {}
    root = opened_quietly(lambda: zarr.open_group(f"{base}/v2/cf", mode="r", **kw))
    assert "temp" in list(root.array_keys()), list(root.array_keys())
    got = opened_quietly(lambda: xr.open_zarr(f"{base}/v2/cf", consolidated=False, **kw)).load()
    assert_same_dataset(got, xr.open_dataset(f"{folder}/cf.nc").load())


check("the /v2/ URL opens with zarr_format=2 and unconsolidated", v2_url_for_v2_only_opens)

def aggregation_matches_open_mfdataset(sub, name, consolidated):
    import glob
    files = sorted(glob.glob(f"{folder}/{sub}/clim_*.nc"))
    want = xr.open_mfdataset(files, combine="nested", concat_dim="time", data_vars="minimal",
                             coords="minimal", compat="override").load()
    got = opened_quietly(lambda: xr.open_zarr(url(name, consolidated), consolidated=consolidated)).load()
    assert_same_dataset(got, want)
    assert got.sizes["time"] == 365


for sub, name in (("monthly", "clim"), ("monthly3", "clim3")):
    for consolidated in (True, False):
        check(f"aggregation of {sub} == xarray.open_mfdataset (consolidated={consolidated})",
              lambda s=sub, n=name, c=consolidated: aggregation_matches_open_mfdataset(s, n, c))

if failures:
    print(f"{len(failures)} client check(s) failed: {failures}")
    sys.exit(1)
print("all client checks passed")
