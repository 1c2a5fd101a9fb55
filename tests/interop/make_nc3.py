"""Writes netCDF-3 fixtures with netCDF4-python (netCDF-C 4.9) and scipy, and broken copies.

usage: make_nc3.py DIR
check_nc3.py compares every well-formed DIR/NAME.nc with the store served as /NAME/;
DIR/malformed.json says what each broken file is and what a reader must do with it.
"""
import json
import os
import signal
import subprocess
import sys

import netCDF4
import numpy as np
from scipy.io import netcdf_file

RNG_SEED = 3
FORMATS = {"classic.nc": "NETCDF3_CLASSIC", "offset64.nc": "NETCDF3_64BIT_OFFSET",
           "cdf5.nc": "NETCDF3_64BIT_DATA"}
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 8}  # by nc_type
CLASSIC_TYPES, CDF5_TYPES = ["i1", "i2", "i4", "f4", "f8"], ["u1", "u2", "u4", "i8", "u8"]
VALUES = {"i1": [-128, 0, 127], "i2": [-32768, 0, 32767], "i4": [-2**31, 0, 2**31 - 1],
          "f4": [1.5, -0.0, 3.4e38], "f8": [np.pi, -0.0, 5e-324],
          "u1": [0, 128, 255], "u2": [0, 40000, 65535], "u4": [0, 3_000_000_000, 2**32 - 1],
          "i8": [-2**63, 2**53 + 1, 2**63 - 1], "u8": [0, 9223372036854775813, 2**64 - 1]}


def typed_attrs(types):
    """Attributes of every type in `types` (arrays and one-element values), UTF-8 and empty text."""
    attrs = {"text_utf8": "temperature in °C", "text_empty": ""}
    for t in types:
        attrs[f"att_{t}"], attrs[f"one_{t}"] = np.array(VALUES[t], t), np.array(VALUES[t][-1:], t)
    return attrs


def write_netcdf4(path, fmt):
    """One netCDF4-python file in `fmt`: interleaved record variables, coordinates, packing,
    fixed variables of every type of the format, _FillValue set, absent (the rest of a partly
    written variable holds netCDF-3's default fill), missing_value only, _Unsigned, 0-d."""
    rng = np.random.default_rng(RNG_SEED)
    types = CLASSIC_TYPES + (CDF5_TYPES if fmt == "NETCDF3_64BIT_DATA" else [])
    nc = netCDF4.Dataset(path, "w", format=fmt)
    nc.setncatts({"title": f"zarrflask netCDF-3 fixture ({fmt})", "Conventions": "CF-1.8",
                  **typed_attrs(types)})
    for dim, size in [("time", None), ("lat", 4), ("lon", 6), ("station", 3), ("strlen", 5),
                      ("n", 6)]:
        nc.createDimension(dim, size)
    data = []  # (variable, raw values, index), written once everything is defined

    def var(name, t, dims, values=None, at=slice(None), fill=None, **attrs):
        """Defines a variable; its raw `values` go to [at] once all are defined."""
        v = nc.createVariable(name, t, dims, fill_value=fill)
        v.setncatts(attrs)
        if values is not None:
            data.append((v, values, at))

    temp = rng.normal(15, 10, (5, 4, 6)).astype("f4")
    temp[rng.random(temp.shape) < 0.15], temp[1, 2, 3] = -9999, np.nan
    precip = rng.integers(0, 3000, (5, 4, 6)).astype("i2")
    precip[rng.random(precip.shape) < 0.1] = -32768
    missing = rng.normal(0, 1, (4, 6))
    missing[0, :2] = -999
    var("time", "f8", ("time",), [0, 1, 2, 3.5, 4], units="days since 2000-01-01",
        calendar="standard", standard_name="time")
    var("temp", "f4", ("time", "lat", "lon"), temp, fill=np.float32(-9999), units="°C",
        long_name="air temperature", valid_range=np.array([-90, 60], "f4"))
    var("precip", "i2", ("time", "lat", "lon"), precip, fill=np.int16(-32768), units="mm",
        scale_factor=np.float32(0.1), add_offset=np.float32(5))
    var("flag", "i1", ("time",), np.array([1, 2, 3, 1], "i1"), slice(0, 4),  # record 4: default
        flag_values=np.array([1, 2, 3], "i1"), flag_meanings="good fair bad")
    var("code", "S1", ("time", "strlen"),
        netCDF4.stringtochar(np.array([b"ab", b"cdefg", b"", b"h", b"ijk"], "S5")))
    if fmt == "NETCDF3_64BIT_DATA":
        var("count64", "i8", ("time",), np.array([2**53 + 1, -(2**62), 0, 2**63 - 1, -1], "i8"))
        var("u8_fill", "u8", ("station",), np.array([2**53 + 1, 2**64 - 2, 2**63 + 5], "u8"),
            fill=np.uint64(2**64 - 2))
    var("lat", "f8", ("lat",), np.linspace(-45, 45, 4), units="degrees_north")
    var("lon", "f4", ("lon",), np.arange(6) * 60, units="degrees_east")
    var("name", "S1", ("station", "strlen"),
        netCDF4.stringtochar(np.array([b"Oslo", b"Rome", b"Lima"], "S5")), long_name="station")
    for t in types:
        var(f"v_{t}", t, ("station",), np.array(VALUES[t], t), **typed_attrs([t]))
        var(f"partial_{t}", t, ("n",), np.array(VALUES[t][:2], t), slice(0, 2))
    var("quality", "i1", ("station",), np.array([0, -56, -1], "i1"), fill=np.int8(-1),
        _Unsigned="true")  # 0, 200 and the fill (255 unsigned)
    var("with_missing", "f8", ("lat", "lon"), missing, missing_value=-999.0)
    var("scalar", "f8", (), np.e)
    var("crs", "i4", (), 4326, grid_mapping_name="latitude_longitude", earth_radius=6371229.0)
    for v, values, at in data:
        v.set_auto_maskandscale(False)
        v[at] = values
    nc.close()


def write_zero_records(path):
    """zero_records.nc: record variables defined, the unlimited dimension never written."""
    with netCDF4.Dataset(path, "w", format="NETCDF3_CLASSIC") as nc:
        for dim, size in [("time", None), ("x", 3), ("strlen", 4)]:
            nc.createDimension(dim, size)
        nc.createVariable("time", "f8", ("time",)).units = "days since 2000-01-01"
        nc.createVariable("value", "f4", ("time", "x"), fill_value=np.float32(-1))
        nc.createVariable("label", "S1", ("time", "strlen"))
        nc.createVariable("x", "i4", ("x",))[:] = [10, 20, 30]


def write_single_record(path, dtype, shape):
    """One record variable only (beside a fixed one): records are not padded to 4 bytes."""
    with netCDF4.Dataset(path, "w", format="NETCDF3_CLASSIC") as nc:
        nc.createDimension("time", None)
        nc.createDimension("x", shape[1])
        nc.createVariable("x", "i4", ("x",))[:] = np.arange(shape[1]) * 10
        var = nc.createVariable("counts", dtype, ("time", "x"))
        var.units = "1"
        var[:] = (np.arange(np.prod(shape)) * 7 - 20).reshape(shape).astype(dtype)
    end = parse_header(read(path))["begin_rec"] + shape[0] * shape[1] * np.dtype(dtype).itemsize
    assert os.path.getsize(path) == end, "records padded"


def write_scipy(path, version):
    """scipy_v{version}.nc: scipy's own writer, record variables, attributes, char variables.
    No 0-d variable: scipy 1.10 lays one out inside the records (netCDF-C: Unknown file format)."""
    rng = np.random.default_rng(RNG_SEED)
    with netcdf_file(path, "w", version=version) as f:
        f.history, f.units_note = b"written by scipy.io.netcdf_file", "°C".encode()
        f.int_list, f.float_value = np.array([1, -2, 3], "i4"), np.float32(2.5)
        for dim, size in [("time", None), ("x", 3), ("strlen", 4)]:
            f.createDimension(dim, size)
        time = f.createVariable("time", "f8", ("time",))
        time.units = b"hours since 2001-02-03 04:05:06"
        temp = f.createVariable("temp", "f4", ("time", "x"))
        temp._FillValue, temp.units = np.float32(-1e30), b"K"
        level = f.createVariable("level", "i2", ("time",))
        level.missing_value = np.int16(-1)
        label = f.createVariable("label", "c", ("x", "strlen"))
        label[:] = np.frombuffer(b"one\0two\0six!", "S1").reshape(3, 4)
        code = f.createVariable("code", "c", ("time", "strlen"))
        for i in range(4):
            time[i] = i * 6.0
            temp[i] = rng.normal(280, 5, 3).astype("f4") if i != 2 else np.float32(-1e30)
            level[i] = [5, -1, 7, 8][i]
            code[i] = np.frombuffer(f"r{i}".encode().ljust(4, b"\0"), "S1")


class OneDefine(netCDF4.Dataset):
    """netCDF4-python ends define mode after every definition in a netCDF-3 file, so netCDF-C
    moves (writing out every byte) the data laid out so far whenever the header grows; this
    one stays in define mode until Dataset._enddef is called."""

    def _enddef(self):
        """Stays in define mode."""


def write_big_sparse(path):
    """big_sparse.nc (> 4 GiB, sparse, fill off): a 2^32 - 4 byte fixed variable with only its
    first and last rows written, then a small variable past 4 GiB. False if it cannot be sparse."""
    with open(path + ".probe", "wb") as f:
        f.seek(64 << 20)
        f.write(b"x")
    sparse = os.stat(path + ".probe").st_blocks * 512 < (1 << 20)
    os.remove(path + ".probe")
    if not sparse:
        return False
    with OneDefine(path, "w", format="NETCDF3_64BIT_OFFSET") as nc:
        nc.set_fill_off()
        for dim, size in [("row", 32767), ("col", 32769), ("k", 5)]:  # 32767 * 32769 * 4 B
            nc.createDimension(dim, size)
        big = nc.createVariable("big", "f4", ("row", "col"))
        small = nc.createVariable("small", "f8", ("k",))
        small.note = "begins past 4 GiB"
        netCDF4.Dataset._enddef(nc)
        big[0, :], big[-1, :] = np.arange(32769), -np.arange(32769)
        small[:] = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert parse_header(read(path, 1 << 16))["vars"]["small"]["begin"] > 2**32
    st = os.stat(path)
    assert st.st_size > 2**32 and st.st_blocks * 512 < st.st_size // 100, "not sparse"
    return True


def read(path, limit=-1):
    """The file's bytes (the first `limit` of them)."""
    with open(path, "rb") as f:
        return f.read(limit)


def parse_header(data):
    """Where things are in a netCDF-3 header (CDF-1, 2 and 5): numrecs, dim_list nelems, the
    header's end, each variable's dims, nc_type, vsize and begin, and where records begin."""
    pos, size = 4, 8 if data[3] == 5 else 4

    def num(n=size):
        """The next n-byte big-endian unsigned integer."""
        nonlocal pos
        pos += n
        return int.from_bytes(data[pos - n:pos], "big")

    def skip(n):
        """The next n bytes, then on past their padding to 4."""
        nonlocal pos
        pos += n + -n % 4
        return data[pos - n - -n % 4:pos - -n % 4]

    def listed():
        """Skips a list's tag (NC_DIMENSION, NC_ATTRIBUTE, NC_VARIABLE or ABSENT): its nelems."""
        num(4)
        return range(num())

    def attrs():
        """Skips an att_list."""
        for _ in listed():
            skip(num())
            t = num(4)
            skip(num() * TYPE_SIZES[t])

    out = {"numrecs_at": pos, "numrecs": num(), "dim_nelems_at": pos + 4, "vars": {}}
    dims = [(skip(num()).decode(), num()) for _ in listed()]
    attrs()
    for _ in listed():
        var = {"name": skip(num()).decode()}
        var["dims"] = [dims[num()][0] for _ in range(num())]
        attrs()
        var["type"], var["vsize"], var["begin"] = num(4), num(), num(4 if data[3] == 1 else 8)
        var["record"] = bool(var["dims"]) and dict(dims)[var["dims"][0]] == 0
        out["vars"][var["name"]] = var
    out["header_end"] = pos
    out["begin_rec"] = min([v["begin"] for v in out["vars"].values() if v["record"]] or [pos])
    return out


PROBE = """import sys, netCDF4
try:
    with netCDF4.Dataset(sys.argv[1]) as nc:
        n = len(nc.dimensions["time"])
        print(f"opens; {n} records; temp[{n - 1}, 0, :3] reads", nc["temp"][-1, 0, :3].tolist())
except (OSError, KeyError) as e:
    print(f"refuses: {e}".split(": b'")[0])
"""


def netcdf_c_says(path):
    """What netCDF4-python (netCDF-C) does with a file, in a subprocess (some crash it)."""
    res = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True)
    if res.returncode < 0:
        return f"crashes the process (signal {signal.Signals(-res.returncode).name})"
    return res.stdout.strip() or res.stderr.strip().splitlines()[-1]


def write_malformed(folder):
    """Patched copies of classic.nc, an HDF4 signature, a text file; malformed.json gives each
    one's patch, what a reader must do ("served": never, may or must; "same_as": the file it
    must then equal) and what netCDF-C 4.9 does with it."""
    data = read(os.path.join(folder, "classic.nc"))
    hdr = parse_header(data)
    var = max((v for v in hdr["vars"].values() if not v["record"]), key=lambda v: v["vsize"])
    cut, end = var["begin"] + var["vsize"] // 2, hdr["header_end"]
    at, n = hdr["numrecs_at"], hdr["numrecs"]

    def patch(offset, value):
        """classic.nc with a 4-byte big-endian value at offset."""
        return data[:offset] + value.to_bytes(4, "big") + data[offset + 4:]

    cases = {  # name: (bytes, what was done, served, what a reader must do)
        "trunc_header.nc": (data[:end // 2], f"cut to {end // 2} bytes, inside the {end}-byte "
                            "header", "never", "refused in one line: truncated"),
        "trunc_data.nc": (data[:cut], f"cut to {cut} of {len(data)} bytes, inside fixed var "
                          f"{var['name']} (bytes {var['begin']}..{var['begin'] + var['vsize']})"
                          " and before every record", "may", "refused in one line (truncated"
                          ": N of M bytes), or served in part with warnings naming what is left "
                          "out: the rest equal to classic.nc (no records)"),
        "numrecs_lie.nc": (patch(at, 1000), f"numrecs (offset {at}) {n} -> 1000; the file holds"
                           f" {n} records", "may", "refused in one line, or served with the "
                           f"{n} records there are and a warning: equal to classic.nc"),
        "huge_nelems.nc": (patch(hdr["dim_nelems_at"], 0x7FFFFFFF), "dim_list nelems (offset "
                           f"{hdr['dim_nelems_at']}) -> 0x7fffffff", "never",
                           "refused in one line, quickly, allocating nothing for 2^31 dims"),
        "streaming.nc": (patch(at, 0xFFFFFFFF), f"numrecs (offset {at}) -> 0xFFFFFFFF, "
                         "STREAMING", "must", f"{n} records counted from the file size: "
                         "equal to classic.nc"),
        "hdf4.hdf": (b"\x0e\x03\x13\x01" + bytes(252), "HDF4 signature 0e 03 13 01, zeros",
                     "never", "refused in one line: an HDF4 file: not supported"),
        "notes.txt": (b"not a scientific file\n", "plain text", "never", "refused in one line"),
    }
    described = {}
    for file, (content, what, served, expect) in cases.items():
        with open(os.path.join(folder, file), "wb") as f:
            f.write(content)
        described[file] = {"patch": what, "served": served, "expect": expect,
                           "netcdf_c": netcdf_c_says(os.path.join(folder, file))}
        if "equal to classic.nc" in expect:
            described[file]["same_as"] = "classic.nc"
    with open(os.path.join(folder, "malformed.json"), "w") as f:
        json.dump(described, f, indent=1)


def main(folder):
    """Writes every fixture into `folder`."""
    os.makedirs(folder, exist_ok=True)
    for file, fmt in FORMATS.items():
        write_netcdf4(os.path.join(folder, file), fmt)
    write_zero_records(os.path.join(folder, "zero_records.nc"))
    write_single_record(os.path.join(folder, "single_record_short.nc"), "i2", (7, 3))
    write_single_record(os.path.join(folder, "single_record_byte.nc"), "i1", (5, 3))
    write_scipy(os.path.join(folder, "scipy_v1.nc"), 1)
    write_scipy(os.path.join(folder, "scipy_v2.nc"), 2)
    if not write_big_sparse(os.path.join(folder, "big_sparse.nc")):
        print(f"note: {folder} cannot hold sparse files; big_sparse.nc not written")
    write_malformed(folder)
    print("nc3 fixtures written")


if __name__ == "__main__":
    main(sys.argv[1])
