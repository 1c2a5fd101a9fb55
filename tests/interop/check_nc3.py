"""Compares every netCDF-3 fixture in DIR with the store a zarrflask server publishes for it.

usage: check_nc3.py BASE_URL DIR

Each well-formed DIR/NAME.nc served as /NAME/ must read back through xarray (zarr-python 2.13 and
fsspec, consolidated and not) as xr.open_dataset(file) reads it: identical decoded, the same
dtypes and encoding, identical raw (mask_and_scale=False, decode_times=False), and bit for bit
with every attribute exact (decode_cf=False). big_sparse.nc (> 4 GiB) is compared on its small
variable and a few rows. The files DIR/malformed.json lists are checked against its "served"
and "same_as". Prints "ok"/"FAIL" lines and "all nc3 checks passed", or exits 1.
"""
# What xarray 2023.01 (Debian's 2023.01.0; netCDF4-python 1.6.2 on netCDF-C 4.9.0; scipy 1.10)
# does with netCDF-3 fill values, by experiment on the files make_nc3.py writes:
#
# - Default engine: netcdf4. The installed engines are ['netcdf4', 'scipy', 'store', 'zarr'] (no
#   h5netcdf); guess_engine() answers 'netcdf4' for classic, 64-bit offset, CDF-5 and
#   scipy-written files alike, and xr.open_dataset(file) shows netcdf4's 'source' and
#   'original_shape' in every encoding (the scipy engine gives neither). On every file both can
#   read, both engines give identical datasets, dtypes and encoding values; scipy cannot open
#   CDF-5 (ValueError: Unexpected header.).
# - No _FillValue, no missing_value, data holding the default fill: NOT masked, by either engine
#   (netCDF4-python alone would mask it; xarray turns its auto-mask off and masks only what
#   attributes name). Values and dtype stay as stored: NC_FILL_BYTE -127 (int8), NC_FILL_SHORT
#   -32767 (int16), NC_FILL_INT -2147483647 (int32), NC_FILL_FLOAT 9.969209968386869e+36
#   (float32, not NaN), NC_FILL_DOUBLE 9.969209968386869e+36 (float64); CDF-5 NC_FILL_UBYTE 255,
#   NC_FILL_USHORT 65535, NC_FILL_UINT 4294967295, NC_FILL_INT64 -9223372036854775806,
#   NC_FILL_UINT64 18446744073709551614. No _FillValue in .encoding or .attrs; encoding is only
#   {'dtype', 'source', 'original_shape'} (netcdf4) or {'dtype'} (scipy), attrs only the file's.
#   Unwritten records of a record variable likewise (flag: [1, 2, 3, 1, -127], int8).
# - _FillValue: values equal to it become NaN and integers become float (float32 for 8- and
#   16-bit ones, packed or not, _Unsigned too; float64 for 32- and 64-bit); _FillValue leaves
#   .attrs for .encoding as a numpy scalar of the stored type (np.float32(-9999.0),
#   np.int16(-32768); _Unsigned "true" int8 -1 -> np.uint8(255)). A default fill in such data
#   is not masked (_FillValue -9999 with 9.96921e36 stored: 9.96921e36 shown). netCDF-C fills
#   unwritten parts with the variable's _FillValue, not the default.
# - missing_value only: values equal to it become NaN; missing_value leaves .attrs for .encoding
#   (np.float64(-999.0); scipy-written int16 np.int16(-1)); no _FillValue anywhere, and a default
#   fill in the data is not masked.
# - scale_factor and add_offset go to .encoding as stored (np.float32(0.1), np.float32(5.0));
#   units and calendar of a decoded time go to .encoding.
# So fill_value must be null for a variable without _FillValue (a default fill published as
# fill_value would be masked by xarray where the file shows data), and the file's _FillValue
# exactly where it has one.
import glob
import json
import math
import os
import sys
import urllib.request

import numpy as np
import urllib.parse
import xarray as xr
import zarr

KEYS = ("_FillValue", "missing_value", "scale_factor", "add_offset", "units", "calendar", "dtype")
BIG_ROWS = [0, 1, 31, 32, 16383, 32765, 32766]  # big_sparse.nc: chunk edges, a hole, the ends
BIG = 1 << 30


class Report:
    """Prints one line per check and counts failures."""

    def __init__(self):
        self.failures, self.passed = 0, 0

    def ok(self, label):
        self.passed += 1
        print(f"ok   {label}")

    def fail(self, label, reason):
        self.failures += 1
        text = " | ".join(line.strip() for line in str(reason).splitlines() if line.strip())
        print(f"FAIL {label}: {text[:1500]}")

    def run(self, label, check, *args):
        """Runs check(*args): ok with what it returns, FAIL with what it raises."""
        try:
            said = check(*args)
            self.ok(f"{label}{': ' + said if said else ''}")
        except Exception as e:  # noqa: BLE001 - name every mismatch and go on
            self.fail(label, e if isinstance(e, AssertionError) else f"{type(e).__name__}: {e}")


def fetch(url, accept=None):
    """The body at url."""
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req) as res:
        return res.read()


def native(a):
    """The array in native byte order."""
    a = np.asarray(a)
    return a.astype(a.dtype.newbyteorder("=")) if a.dtype.byteorder in "<>" else a


def same_bits(got, want, where):
    """Raises unless two arrays have the same shape, dtype (any byte order) and bytes."""
    got, want = native(got), native(want)
    if got.shape != want.shape or got.dtype != want.dtype:
        raise AssertionError(f"{where}: zarr {got.dtype} {got.shape}, file {want.dtype} "
                             f"{want.shape}")
    if got.tobytes() != want.tobytes():
        bad = np.argwhere(np.atleast_1d(got != want))[:3].tolist() if got.ndim else [[]]
        pairs = "; ".join(f"{tuple(i)}: zarr {got[tuple(i)]!r}, file {want[tuple(i)]!r}"
                          for i in bad)
        raise AssertionError(f"{where}: bits differ ({pairs or 'NaN payloads or -0.0'})")


def plain(value):
    """An attribute value as Python: lists, int, float, str."""
    return value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value


def value_diff(got, want):
    """None if `got` (from JSON) is the file's value exactly: integers stay integers, floats
    stay floats (5.0, not 5) with their value and the sign of zero."""
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{got!r} != {want!r}"
        return next((d for g, w in zip(got, want) if (d := value_diff(g, w))), None)
    if isinstance(want, float):
        same = type(got) is float and (got == want or math.isnan(want) and got != got)
        same = same and math.copysign(1, got) == math.copysign(1, want)
    else:
        same = type(got) is type(want) and got == want
    return None if same else f"{got!r} ({type(got).__name__}) != {want!r}"


def shown(value):
    """repr, with numpy floats as the exact double they hold (np.float32(0.1) is 0.100000001...)."""
    return repr(float(value)) if isinstance(value, np.floating) else repr(value)


def same_number(got, want):
    """Equal, or both NaN."""
    return got == want or (got != got and want != want)


ZARR3 = int(zarr.__version__.split(".")[0]) >= 3


def store_url(url, consolidated):
    """zarr-python 2 without consolidated metadata needs the .zgroup of /v2/NAME/."""
    if consolidated or ZARR3:
        return url
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/v2" + parts.path))


def open_both(url, path, consolidated, **kw):
    """(store, file) as xarray reads them, loaded; for a file over 1 GiB, BIG_ROWS only."""
    want = xr.open_dataset(path, **kw)
    got = xr.open_zarr(store_url(url, consolidated), consolidated=consolidated, **kw)
    if os.path.getsize(path) > BIG:
        want, got = want.isel(row=BIG_ROWS), got.isel(row=BIG_ROWS)
    loaded = got.load(), want.load()
    want.close()
    return loaded


def as_today_cannot_help(got, want):
    """`got` with what today's xarray cannot match made equal, once checked to be near enough.

    A packed variable's decoded dtype comes from the Python type of scale_factor (xarray >= 2024):
    a netCDF float32 attribute gives float32, any JSON number float64. Such a variable must hold
    the file's values to float32 rounding, with the same missing points.
    """
    got = got.copy()
    for name, w in want.variables.items():
        g = got.variables[name]
        if w.dtype == np.float32 and g.dtype == np.float64 and "scale_factor" in g.encoding:
            gv, wv = g.values, w.values
            assert (np.isnan(gv) == np.isnan(wv)).all(), f"{name}: missing points differ"
            ok = ~np.isnan(wv)
            if ok.any():
                np.testing.assert_allclose(gv[ok].astype(np.float32), wv[ok], rtol=1e-6,
                                           atol=1e-6 * np.abs(wv[ok]).max(), err_msg=name)
            got[name] = got[name].copy(data=wv)
            got[name].encoding = g.encoding
    return got


def check_identical(url, path, consolidated):
    """Decoded: identical, the same dtype and the same encoding keys, variable by variable."""
    got, want = open_both(url, path, consolidated)
    if ZARR3:
        got = as_today_cannot_help(got, want)
    xr.testing.assert_identical(got, want)
    problems = []
    for name, w in want.variables.items():
        g = got.variables[name]
        if g.dtype != w.dtype:
            problems.append(f"{name}: dtype {g.dtype}, file {w.dtype}")
        for key in KEYS:
            if key not in w.encoding:
                if key in ("_FillValue", "missing_value") and key in g.encoding:
                    problems.append(f"{name}: encoding {key} {g.encoding[key]!r}, file none")
                continue
            gv, wv = g.encoding.get(key), w.encoding[key]
            if key == "dtype":
                same = gv is not None and np.dtype(gv).newbyteorder("=") == \
                    np.dtype(wv).newbyteorder("=")
            elif key == "_FillValue" and ZARR3:
                # xarray 2026 decodes a v3 _FillValue to a Python float or int, not the file's
                # numpy type: the value must be the file's, exactly, in the file's type.
                same = gv is not None and same_number(np.asarray(gv, np.asarray(wv).dtype), wv)
            elif key == "_FillValue":
                same = gv is not None and np.asarray(gv).dtype == np.asarray(wv).dtype and \
                    same_number(gv, wv)
            elif isinstance(wv, str):
                same = gv == wv
            else:
                same = gv is not None and same_number(gv, wv)
            if not same:
                problems.append(f"{name}: encoding {key} {shown(gv)}, file {shown(wv)}")
    assert not problems, "; ".join(problems)
    return f"{len(want.variables)} variables, dtypes and encoding equal"


def check_raw(url, path, consolidated):
    """Raw values (mask_and_scale=False, decode_times=False): identical, same dtypes."""
    got, want = open_both(url, path, consolidated, mask_and_scale=False, decode_times=False)
    xr.testing.assert_identical(got, want)
    bad = [f"{n}: {got[n].dtype} != {v.dtype}" for n, v in want.variables.items()
           if got[n].dtype != v.dtype]
    assert not bad, "; ".join(bad)


def bits_problems(got, want):
    """Undecoded datasets: what differs in any variable's bytes, attributes (exactly), _FillValue
    (dtype and bits) or the global attributes."""
    problems = []
    for name in ["(global)"] + list(want.variables):
        g, w = (got, want) if name == "(global)" else (got.variables[name], want.variables[name])
        if name != "(global)":
            try:
                same_bits(g.values, w.values, name)
            except AssertionError as e:
                problems.append(str(e))
        gattrs, wattrs = dict(g.attrs), dict(w.attrs)
        gfill, wfill = gattrs.pop("_FillValue", None), wattrs.pop("_FillValue", None)
        if (gfill is None) != (wfill is None):
            problems.append(f"{name}: _FillValue {gfill!r}, file {wfill!r}")
        elif gfill is not None:
            if ZARR3:  # a Python number from xarray's v3 decoder: compare in the file's type
                gfill = np.asarray(gfill, np.asarray(wfill).dtype)
            try:
                same_bits(gfill, wfill, f"{name} _FillValue")
            except AssertionError as e:
                problems.append(str(e))
        if set(gattrs) != set(wattrs):
            problems.append(f"{name}: attributes {sorted(gattrs)}, file {sorted(wattrs)}")
        problems += [f"{name}.{k}: {d}" for k in wattrs.keys() & gattrs.keys()
                     if (d := value_diff(gattrs[k], plain(wattrs[k])))]
    return problems


def check_bits(url, path, consolidated):
    """Undecoded (decode_cf=False): bit for bit, every attribute exactly."""
    got, want = open_both(url, path, consolidated, decode_cf=False)
    problems = bits_problems(got, want)
    assert not problems, "; ".join(problems)
    n = sum(len(v.attrs) for v in want.variables.values()) + len(want.attrs)
    return f"values bit for bit, {n} attributes exact"


def check_partial(url, path, consolidated, warnings):
    """A broken file served in part: what is served is the file's (records: the first ones, no
    more than it holds), decoded and bit for bit; what is left out is named in a warning."""
    said = ""
    for kw in ({"decode_cf": False}, {}):
        got, want = open_both(url, path, consolidated, **kw)
        records = {d: slice(0, got.sizes[d]) for d in want.encoding.get("unlimited_dims", ())
                   if d in got.dims}
        more = {d: (got.sizes[d], want.sizes[d]) for d in records if got.sizes[d] > want.sizes[d]}
        assert not more, f"records served, held by the file: {more}"
        missing = [v for v in want.variables if v not in got.variables]
        want = want.isel(records).drop_vars(missing)
        unnamed = [v for v in missing if not any(f"/{v}:" in w for w in warnings)]
        assert not unnamed, f"left out, and no warning names them: {unnamed}"
        if kw:
            problems = bits_problems(got, want)
            assert not problems, "; ".join(problems)
        else:
            xr.testing.assert_identical(as_today_cannot_help(got, want) if ZARR3 and kw == {} else got, want)
        said = f"{len(want.variables)} variables equal, records {records}, left out {missing}"
    return said


def check_ascii(url):
    """.zmetadata is ASCII (zarr-python 2.13 decodes metadata as ASCII)."""
    body = fetch(url + "/.zmetadata")
    bad = next((i for i, b in enumerate(body) if b >= 0x80), None)
    assert bad is None, f"byte 0x{body[bad]:02x} at {bad}: {body[max(0, bad - 30):bad + 10]!r}"


def check_dataset(report, base, name, path, label):
    """Every check of one served dataset against the file `path`."""
    url = f"{base}/{name}"
    if os.path.getsize(path) > BIG:
        label += f" (rows {BIG_ROWS} only)"
    report.run(f"{label} .zmetadata ASCII", check_ascii, url)
    for consolidated in (True, False):
        mode = f"{label} [consolidated={consolidated}]"
        report.run(f"{mode} identical to xr.open_dataset", check_identical, url, path,
                   consolidated)
        report.run(f"{mode} raw identical", check_raw, url, path, consolidated)
        report.run(f"{mode} undecoded", check_bits, url, path, consolidated)


def main(base, folder):
    """Checks every fixture in folder against the server at base."""
    report = Report()
    base = base.rstrip("/")
    served = {d["name"]: d for d in json.loads(fetch(base + "/", "application/json"))["datasets"]}
    malformed = {}
    if os.path.exists(os.path.join(folder, "malformed.json")):
        with open(os.path.join(folder, "malformed.json")) as f:
            malformed = json.load(f)
    files = sorted(glob.glob(os.path.join(folder, "*.nc")))
    engine = xr.backends.plugins.guess_engine(files[0])
    print(f"note: xr.open_dataset's engine for netCDF-3 here: {engine}")
    for path in files:
        file = os.path.basename(path)
        name = os.path.splitext(file)[0]
        if file in malformed:
            continue
        entry = served.get(name)
        if entry is None:
            report.fail(file, "not served")
            continue
        if entry.get("warnings"):
            report.fail(f"{file} warnings", f"a well-formed file has warnings: {entry['warnings']}")
        check_dataset(report, base, name, path, file)
    for file, about in malformed.items():
        name, entry = os.path.splitext(file)[0], served.get(os.path.splitext(file)[0])
        warnings = (entry or {}).get("warnings", [])
        if entry is None:
            if about["served"] == "must":
                report.fail(file, f"not served; {about['expect']}")
            else:
                report.ok(f"{file}: not served ({about['patch']})")
        elif about["served"] == "never":
            report.fail(file, f"served, but must be refused ({about['patch']}): {about['expect']}")
        elif about["served"] == "must":
            check_dataset(report, base, name, os.path.join(folder, about["same_as"]),
                          f"{file} (as {about['same_as']})")
        elif not warnings:
            report.fail(f"{file} warnings", f"served in part without a warning ({about['patch']})")
        else:
            print(f"note: {file} served ({about['patch']}); warnings: {warnings}")
            for consolidated in (True, False):
                report.run(f"{file} [consolidated={consolidated}] served in part as "
                           f"{about['same_as']}", check_partial, f"{base}/{name}",
                           os.path.join(folder, about["same_as"]), consolidated, warnings)
    print(f"nc3 checks: {report.passed} ok, {report.failures} failed")
    if report.failures:
        sys.exit(1)
    print("all nc3 checks passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
