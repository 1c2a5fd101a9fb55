"""Compares every fixture file in DIR with the store a zarrflask server publishes for it.

usage: check_world.py BASE_URL DIR

Each DIR/NAME.h5 or DIR/NAME.nc served as /NAME/ is walked with h5py and read back with
zarr-python (2.13 through fsspec, 3 from the URL; consolidated and not): every dataset equal, or left out with a
warning naming it; every attribute kept as JSON; every metadata document ASCII; netCDF files (and
phony.h5) identical through xarray. Prints one line per check, then a summary; exits 1 on failure.
"""
import glob
import hashlib
import io
import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import fsspec
import h5py
import netCDF4
import numpy as np
import xarray as xr
import zarr

try:
    import tables  # noqa: F401 - registers PyTables' blosc filter with the HDF5 that h5py uses
except ImportError:  # today's clients (Debian sid) have no PyTables: hdf5plugin, if any
    try:
        import hdf5plugin  # noqa: F401
    except ImportError:
        pass

try:
    import hdf5plugin  # noqa: F401 - more filters for h5py, where built
except ImportError:
    pass

HIDDEN = {"DIMENSION_LIST", "REFERENCE_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates",
          "_NCProperties", "_nc3_strict", "_IsNetcdf4", "_SuperblockVersion", "_FillValue"}
ZARR_KEYS = {".zarray", ".zgroup", ".zattrs", ".zmetadata", "zarr.json"}
NC_DIM_ONLY = "This is a netCDF dimension but not a netCDF variable"
NON_COORD = "_nc4_non_coord_"
VALUES_DIR = ""  # where h5py's values are saved, beside the fixtures (set by main)
KEEP = []  # Padded file objects, which must outlive h5py's handles on them


class Report:
    """Prints one line per check and counts the outcomes."""

    def __init__(self):
        self.failures, self.equal, self.left_out = 0, 0, Counter()

    def ok(self, label):
        print(f"ok   {label}")

    def fail(self, label, reason):
        self.failures += 1
        print(f"FAIL {label}: {one_line(reason)}")

    def summary(self):
        reasons = ", ".join(f"{r}: {n}" for r, n in sorted(self.left_out.items()))
        total = sum(self.left_out.values())
        print(f"datasets equal: {self.equal}; left out: {total} ({reasons}); "
              f"failures: {self.failures}")


def one_line(text, limit=700):
    text = " | ".join(line.strip() for line in str(text).strip().splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + " ..."


class Padded(io.RawIOBase):
    """A cut file read as if it went on with zeros (its size reported as 1 TiB, past any end
    of allocation), so h5py opens what is left of it."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.pos = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=0):
        self.pos = [offset, self.pos + offset, (1 << 40) + offset][whence]
        return self.pos

    def readinto(self, buf):
        part = self.data[self.pos:self.pos + len(buf)]
        part += bytes(len(buf) - len(part))
        buf[:] = part
        self.pos += len(buf)
        return len(buf)


def open_h5(path):
    """h5py's handle on the file, and whether it had to be padded past a cut."""
    try:
        return h5py.File(path, "r"), False
    except OSError as e:
        if "truncated" not in str(e):
            raise
    padded = Padded(path)
    KEEP.append(padded)
    return h5py.File(padded, "r"), True


def unsafe(name):
    """Whether a URL cannot carry the name as a path segment (or Zarr would read it as a key)."""
    return (any(c in "#?%" or c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in name)
            or name.startswith(".") or name in ZARR_KEYS)


def join(parent, name):
    return f"{parent.rstrip('/')}/{name}"


def dim_only(dset):
    """A netCDF dimension without a variable: a scale the server keeps as a dimension only."""
    name = dset.attrs.get("NAME", b"")
    name = name.decode() if isinstance(name, bytes) else str(name)
    return name.startswith(NC_DIM_ONLY)


def h5_tree(f):
    """{published path: object} for every hard-linked group and dataset, and the paths of soft and
    external links that resolve (the server may publish those too)."""
    nodes, links = {"/": f}, set()

    def walk(group, path, ancestors):
        for name in group:
            link = group.get(name, getlink=True)
            obj = group.get(name)  # None for a dangling link
            if not isinstance(link, h5py.HardLink):
                if obj is not None:
                    links.add(join(path, name))
                continue
            if isinstance(obj, h5py.Dataset):
                if not dim_only(obj):
                    nodes[join(path, name.removeprefix(NON_COORD))] = obj
            elif h5py.h5o.get_info(obj.id).addr not in ancestors:
                nodes[join(path, name)] = obj
                walk(obj, join(path, name), ancestors | {h5py.h5o.get_info(obj.id).addr})

    walk(f, "/", {h5py.h5o.get_info(f.id).addr})
    return nodes, links


def zarr_tree(root, report, label):
    """{hdf5 path: zarr node}, following `original_name`; checks renamed names are safe."""
    nodes = {"/": root}

    def walk(group, path):
        for key in sorted(set(group.group_keys()) | set(group.array_keys())):
            try:
                child = group[key]
            except Exception as e:  # noqa: BLE001 - name it, walk on
                report.fail(f"{label} {join(path, key)!r}", f"zarr cannot open it: {e!r}")
                continue
            try:
                original = child.attrs.get("original_name", key)
            except Exception as e:  # noqa: BLE001
                report.fail(f"{label} {join(path, key)!r}", f"attributes unreadable: {e!r}")
                original = key
            where = f"{label} {join(path, original)!r}"
            if original != key and (unsafe(key) or not unsafe(original)):
                report.fail(where, f"published as {key!r}: only unsafe names are renamed, "
                                   "to safe ones")
            elif original == key and unsafe(key):
                report.fail(where, "a name a URL cannot carry is published as is")
            if join(path, original) in nodes:
                report.fail(where, "two nodes claim this HDF5 name")
            nodes[join(path, original)] = child
            if isinstance(child, zarr.Group):
                walk(child, join(path, original))

    walk(root, "/")
    return nodes


def dtype_reason(dt, top=True):
    """Why values of this h5py dtype have no exact Zarr form, or None."""
    if h5py.check_ref_dtype(dt) is not None:
        return "reference"
    vlen = h5py.check_vlen_dtype(dt)
    if vlen is not None:
        if vlen is str or vlen is bytes:
            return None if top else "variable-length string inside a compound or array"
        return "variable-length sequence"
    if dt.subdtype is not None:
        return dtype_reason(dt.subdtype[0], top=False)
    if dt.names:
        return next((r for n in dt.names if (r := dtype_reason(dt.fields[n][0], False))), None)
    if dt.kind == "O":
        return "object"
    if dt.kind == "V":
        return "opaque"
    if (dt.kind == "f" and dt.itemsize > 8) or (dt.kind == "c" and dt.itemsize > 16):
        return "long double"
    return None


def past_end(dset, size):
    """Whether some of the dataset's stored bytes lie past the end of the file."""
    offset = dset.id.get_offset()
    if offset is not None:
        return offset + dset.id.get_storage_size() > size
    if dset.chunks is None:
        return False
    infos = (dset.id.get_chunk_info(i) for i in range(dset.id.get_num_chunks()))
    return any(info.byte_offset + info.size > size for info in infos)


def h5_values(dset):
    """The dataset's values as h5py reads them; variable-length strings as str objects.

    Each is saved beside the fixtures; where this h5py lacks a filter (today's clients have no
    PyTables or hdf5plugin, so no blosc), the values an earlier run's h5py saved stand in."""
    saved = os.path.join(VALUES_DIR, hashlib.sha1(
        f"{os.path.basename(dset.file.filename)}:{dset.name}".encode()).hexdigest() + ".npy")
    try:
        info = h5py.check_string_dtype(dset.dtype)
        if info is not None and info.length is None:
            values = np.asarray(dset.asstr()[()], dtype=object)
        else:
            values = np.asarray(dset[()])
    except OSError:
        if not os.path.exists(saved):
            raise
        return np.load(saved, allow_pickle=True)
    os.makedirs(VALUES_DIR, exist_ok=True)
    try:
        np.save(saved, values, allow_pickle=True)
    except ValueError:  # numpy cannot save out-of-order fields; no filter needed for those here
        pass
    return values


def same_values(got, want, where=""):
    """Raises AssertionError unless zarr's values equal h5py's: shape, kind, size, bits."""
    got = np.asarray(got, dtype=object if want.dtype.kind == "O" else None)
    if got.shape != want.shape:
        raise AssertionError(f"{where} shape: zarr {got.shape}, h5py {want.shape}")
    if want.dtype.names:
        parts = scalar_parts(want)
        if got.dtype.names != tuple(parts):
            raise AssertionError(f"{where} fields: zarr {got.dtype}, h5py {want.dtype}")
        for name, part in parts.items():
            same_values(got[name], part, f"{where}.{name}")
        return
    if want.dtype.kind == "O":
        if got.dtype.kind != "O" or got.tolist() != want.tolist():
            raise AssertionError(f"{where} zarr {got.dtype} {got.tolist()!r}, "
                                 f"h5py {want.tolist()!r}")
        return
    if (got.dtype.kind, got.dtype.itemsize) != (want.dtype.kind, want.dtype.itemsize):
        raise AssertionError(f"{where} dtype: zarr {got.dtype}, h5py {want.dtype}")
    native = [np.ascontiguousarray(a, a.dtype.newbyteorder("=")) for a in (got, want)]
    if native[0].tobytes() != native[1].tobytes():
        bad = np.argwhere(np.atleast_1d(got != want) & ~np.atleast_1d(both_nan(got, want)))
        at = [tuple(int(i) for i in b) for b in bad[:3]] if got.ndim else [()]
        pairs = "; ".join(f"{i}: zarr {got[i]!r}, h5py {want[i]!r}" for i in at)
        if not len(bad):
            raise AssertionError(f"{where} values equal but their bits differ")
        raise AssertionError(f"{where} values differ ({len(bad)} of {want.size}) {pairs}")


def scalar_parts(want):
    """{published field name: values}: a subarray field is published as one scalar field per
    element, `f[0]` or `m[0,1]` (zarr-python 3 refuses subarray fields)."""
    parts = {}
    for name in want.dtype.names:
        shape = want.dtype.fields[name][0].shape
        if not shape:
            parts[name] = want[name]
        for idx in np.ndindex(shape) if shape else ():
            parts[f"{name}[{','.join(map(str, idx))}]"] = want[name][(...,) + idx]
    return parts


def both_nan(a, b):
    if a.dtype.kind in "fc":
        return np.isnan(a) & np.isnan(b)
    return np.zeros(a.shape, bool)


class Unmappable(Exception):
    """An attribute value with no JSON form."""


def json_value(value):
    """The JSON value the server must publish for an h5py attribute value."""
    if isinstance(value, h5py.Empty):
        return None
    if isinstance(value, np.ndarray):
        return element(value.reshape(-1)[0]) if value.size == 1 else nested(value)
    return element(value)


def nested(value):
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return [nested(v) for v in value]
    return element(value[()] if isinstance(value, np.ndarray) else value)


def element(v):
    if isinstance(v, np.void) and v.dtype.names:
        return {n: nested(v[n]) for n in v.dtype.names}
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8")
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v  # NaN and ±Infinity too: Python clients get them bare, and read floats
    if isinstance(v, np.ndarray):
        return nested(v)
    raise Unmappable(type(v).__name__)


def json_diff(got, want):
    """None when a JSON value equals the expected one exactly, else what differs."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return f"{got!r} != {want!r}"
        return next((d for k in want if (d := json_diff(got[k], want[k]))), None)
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{got!r} != {want!r}"
        return next((d for g, w in zip(got, want) if (d := json_diff(g, w))), None)
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        same = isinstance(got, (int, float)) and not isinstance(got, bool) and (
            got == want or (got != got and want != want))
    else:
        same = type(got) is type(want) and got == want
    return None if same else f"{got!r} != {want!r}"


def warning_for(warnings, *parts):
    """The first warning naming every part (a path must not run on into a longer name)."""
    def names(w, part):
        at = w.find(part)
        while at >= 0:
            end = at + len(part)
            if end == len(w) or w[end] in ":;,)]'\" \n" or not part.startswith("/"):
                return True
            at = w.find(part, at + 1)
        return False
    return next((w for w in warnings if all(names(w, p) for p in parts)), None)


def left_out_reason(warning, path):
    tail = warning.split("left out:", 1)[1] if "left out:" in warning else \
        warning.split(path, 1)[-1]
    return tail.strip(" :") or warning


def expected_attrs(obj):
    """({name: JSON value}, {name: why it cannot be published}) for an HDF5 object."""
    want, cannot = {}, {}
    is_scale = obj.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")
    for name in obj.attrs.keys():
        if name in HIDDEN or (name == "CLASS" and is_scale) or \
                (name == "NAME" and is_scale and isinstance(obj, h5py.Dataset)):
            continue
        try:
            reason = dtype_reason(obj.attrs.get_id(name).dtype)
            if reason:
                cannot[name] = reason
            else:
                want[name] = json_value(obj.attrs[name])
        except (Unmappable, TypeError, ValueError, OSError) as e:
            cannot[name] = str(e)
    return want, cannot


def check_attrs(obj, node, path, warnings):
    """Raises AssertionError unless the node's attributes are the object's, mapped."""
    want, cannot = expected_attrs(obj)
    got = dict(node.attrs)
    got.pop("_ARRAY_DIMENSIONS", None)
    if ZARR3:  # v3 arrays carry fill_value again as xarray encodes it (check_clients reads it)
        got.pop("_FillValue", None)
    original = got.pop("original_name", path.rsplit("/", 1)[-1])
    if path != "/" and original != path.rsplit("/", 1)[-1]:
        raise AssertionError(f"original_name {original!r}")
    enum = h5py.check_enum_dtype(obj.dtype) if isinstance(obj, h5py.Dataset) else None
    if enum and "flag_values" in got and "flag_values" not in want:  # README: enums get flags
        meanings = str(got.pop("flag_meanings", "")).split()
        values = got.pop("flag_values")
        values = values if isinstance(values, list) else [values]
        if dict(zip(meanings, values)) != {k: int(v) for k, v in enum.items()}:
            raise AssertionError(f"flag_values/flag_meanings {values} {meanings}, enum {enum}")
    problems = [f"attribute {k!r} missing" + (f" ({w})" if (w := warning_for(warnings, k, path))
                                              else "") for k in want if k not in got]
    problems += [f"extra attribute {k!r}" for k in got if k not in want]
    problems += [f"attribute {k!r}: {d}" for k in want if k in got
                 if (d := json_diff(got[k], want[k]))]
    for k, reason in cannot.items():
        if k in got:
            problems.append(f"attribute {k!r} ({reason}) is published")
        elif not warning_for(warnings, k, path):
            problems.append(f"attribute {k!r} ({reason}) left out without a warning naming it")
    if problems:
        raise AssertionError("; ".join(problems))
    return len(want)


def check_dataset(report, label, dset, node, path, warnings, file_size, counted):
    """One dataset: left out with a warning, or equal in values, fill value and attributes.
    `counted`: this view counts in the summary (the other only adds failures)."""
    reason = dtype_reason(dset.dtype) or ("data past the end of the file"
                                           if past_end(dset, file_size) else None)
    if node is None:
        warning = warning_for(warnings, path)
        if warning is None:
            report.fail(label, "not served, and no warning names it")
        elif reason is None:
            report.fail(label, f"left out though it has a Zarr form ({warning})")
        else:
            report.ok(f"{label}: {warning}")
            if counted:
                report.left_out[left_out_reason(warning, path)] += 1
        return
    if not isinstance(node, zarr.Array):
        return report.fail(label, "an HDF5 dataset published as a group")
    try:
        if reason == "data past the end of the file":
            try:
                node[()]
            except Exception:  # noqa: BLE001 - any read error beats made-up values
                return report.ok(f"{label}: reading data past the end of the file fails")
            return report.fail(label, "data past the end of the file served without an error")
        try:
            want = h5_values(dset)
        except Exception as e:  # noqa: BLE001
            return report.fail(label, f"served, but h5py cannot read it to compare: {e}")
        same_values(node[()], want)
        if "_FillValue" in dset.attrs:
            fill = np.asarray(dset.attrs["_FillValue"]).reshape(-1)[0]
            if node.fill_value is None:
                raise AssertionError(f"fill_value null, _FillValue {fill!r}")
            same_values(np.asarray(node.fill_value, fill.dtype), np.asarray(fill), "fill_value")
        n = check_attrs(dset, node, path, warnings)
        report.ok(f"{label}: {dset.dtype} {dset.shape} and {n} attributes equal")
        report.equal += counted
    except Exception as e:  # noqa: BLE001 - name every mismatch
        report.fail(label, f"{type(e).__name__}: {e}" if not isinstance(e, AssertionError) else e)


def fetch(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req) as res:
        return res.read()


def parse(docs, key, problems):
    """The JSON document fetched for `key`, or None with the problem noted."""
    try:
        return json.loads(docs[key])
    except ValueError as e:
        problems.append(f"{key}: not JSON ({e}): {docs[key][:40]!r}")
        return None


def quote(key):
    return urllib.parse.quote(key, safe="/")


def check_json(report, label, base, url):
    """Every metadata document and JSON listing is ASCII; v3 attributes equal v2's."""
    docs = {"/": fetch(base + "/", "application/json"),
            url: fetch(url, "application/json"), ".zmetadata": fetch(url + ".zmetadata")}
    meta = json.loads(docs[".zmetadata"])["metadata"]
    paths = {k.rsplit("/", 1)[0] if "/" in k else "" for k in meta}
    problems = []
    for key in list(meta) + [f"{p}/zarr.json" if p else "zarr.json" for p in paths]:
        # v2 documents from /v2/NAME/ (Python gets v3 and .zmetadata alone at /NAME/)
        where = url if key.endswith("zarr.json") else v2_url(url)
        try:
            docs[key] = fetch(where + quote(key))
        except urllib.error.HTTPError as e:
            problems.append(f"{key}: HTTP {e.code}")
    for p in paths:
        key = f"{p}/zarr.json" if p else "zarr.json"
        v3 = parse(docs, key, problems) if key in docs else None
        v2 = dict(meta.get(f"{p}/.zattrs" if p else ".zattrs", {}))
        v2.pop("_ARRAY_DIMENSIONS", None)
        attrs = dict(v3.get("attributes", {})) if isinstance(v3, dict) else {}
        attrs.pop("_FillValue", None)  # v3 only: xarray's encoding of fill_value
        diff = json_diff(attrs, v2) if isinstance(v3, dict) else None
        if diff:
            problems.append(f"{key} attributes differ from v2: {diff}")
    for key, body in docs.items():
        bad = next((i for i, b in enumerate(body) if b >= 0x80), None)
        if bad is not None:
            context = body[max(0, bad - 30):bad + 10]
            problems.append(f"{key}: byte 0x{body[bad]:02x} at {bad}: {context!r}")
    if problems:
        report.fail(label, "; ".join(problems[:6]) + (" ..." if len(problems) > 6 else ""))
    else:
        report.ok(f"{label}: {len(docs)} metadata documents and listings are ASCII, v3 = v2 attrs")


def nc_groups(path):
    with netCDF4.Dataset(path) as nc:
        out, todo = [], [nc]
        while todo:
            g = todo.pop(0)
            out.append(g.path)
            todo.extend(g.groups.values())
    return out


ZARR3 = int(zarr.__version__.split(".")[0]) >= 3


def v2_url(url):
    """The same store at /v2/NAME/: every v2 document (Python gets v3 + .zmetadata at /NAME/)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/v2" + parts.path))


def store_url(url, consolidated):
    """zarr-python 2 without consolidated metadata needs the .zgroup of /v2/NAME/."""
    return url if consolidated or ZARR3 else v2_url(url)


def check_xarray(report, file, path, url, zarr_nodes):
    """xr.open_zarr(url) is identical to xr.open_dataset(file), group by group."""
    for group in nc_groups(path):
        zpath = zarr_nodes[group].path if group in zarr_nodes else None
        for consolidated in (True, False):
            label = f"{file} xarray group {group} (consolidated={consolidated})"
            try:
                assert zpath is not None, "group not published"
                with xr.open_dataset(path, group=None if group == "/" else group,
                                     engine="netcdf4") as want:
                    want.load()
                    store = store_url(url, consolidated)
                    got = xr.open_zarr(store if ZARR3 else fsspec.get_mapper(store),
                                       group=zpath or None, consolidated=consolidated).load()
                    xr.testing.assert_identical(got, want)
                report.ok(label)
            except Exception as e:  # noqa: BLE001
                report.fail(label, f"{type(e).__name__}: {e}")


def h5_class(dset):
    """The HDF5 type class of a dataset, in words."""
    cls = dset.id.get_type().get_class()
    return {h5py.h5t.ENUM: "enum", h5py.h5t.COMPOUND: "compound",
            h5py.h5t.VLEN: "variable-length"}.get(cls, str(cls))


def dims_of(node):
    """An array's dimension names: v3 `dimension_names`, or v2's `_ARRAY_DIMENSIONS`."""
    if ZARR3 and node.metadata.zarr_format == 3:
        names = node.metadata.dimension_names
        return None if names is None else list(names)
    return node.attrs.get("_ARRAY_DIMENSIONS")


def check_dims(report, file, path, zarr_nodes):
    """Where netCDF4 opens a plain HDF5 file, every variable's dimension names agree."""
    lib = tuple(int(x) for x in netCDF4.__netcdf4libversion__.split(".")[:2])
    newer = {"enum", "compound", "variable-length"}
    with h5py.File(path, "r") as f:
        kinds = set()
        f.visititems(lambda _, o: kinds.add(h5_class(o)) if isinstance(o, h5py.Dataset) else None)
    if lib < (4, 10) and kinds & newer:
        # names follow netCDF-C 4.10 (today's xarray), which counts these types; 4.9 does not
        return report.ok(f"{file} dims: netCDF-C {netCDF4.__netcdf4libversion__} skips "
                         f"{', '.join(sorted(kinds & newer))} datasets, 4.10 counts them: skipped")
    try:
        nc = netCDF4.Dataset(path)
    except Exception as e:  # noqa: BLE001 - netCDF-C refuses some HDF5 files outright
        return report.ok(f"{file} dims: netCDF4 cannot open it ({one_line(e, 100)}), skipped")
    with nc:
        problems, n, todo = [], 0, [nc]
        while todo:
            g = todo.pop(0)
            todo.extend(g.groups.values())
            for name, var in g.variables.items():
                node = zarr_nodes.get(join(g.path, name))
                if isinstance(node, zarr.Array):
                    n += 1
                    got = dims_of(node)
                    if got != list(var.dimensions):
                        problems.append(f"{join(g.path, name)}: zarr {got}, netCDF4 "
                                        f"{list(var.dimensions)}")
    if problems:
        report.fail(f"{file} dims", f"{len(problems)} of {n} differ: " + "; ".join(problems[:5]))
    else:
        report.ok(f"{file} dims: {n} variables agree with netCDF4")


def open_root(url, consolidated):
    """The store's root group as zarr-python opens it: 2.13 through an fsspec mapper, 3 from
    the URL (v3, with zarr.json's consolidated metadata or without it)."""
    if ZARR3:
        return zarr.open_group(url.rstrip("/"), mode="r", use_consolidated=consolidated)
    mapper = fsspec.get_mapper(url.rstrip("/"))
    return zarr.open_consolidated(mapper) if consolidated else zarr.open_group(mapper, mode="r")


def check_store(report, file, f, url, warnings, file_size, consolidated):
    """Every group and dataset of the file against one zarr view of the store."""
    mode = "" if consolidated else " [unconsolidated]"
    try:
        root = open_root(url, consolidated)
    except Exception as e:  # noqa: BLE001
        report.fail(f"{file}{mode}", f"zarr cannot open the store: {type(e).__name__}: {e}")
        return None
    h5_nodes, links = h5_tree(f)
    try:
        zarr_nodes = zarr_tree(root, report, f"{file}{mode}")
    except Exception as e:  # noqa: BLE001
        report.fail(f"{file}{mode}", f"zarr cannot walk the store: {type(e).__name__}: {e}")
        return None
    for path, obj in h5_nodes.items():
        label = f"{file} {path!r}{mode}"
        node = zarr_nodes.get(path)
        if isinstance(obj, h5py.Dataset):
            check_dataset(report, label, obj, node, path, warnings, file_size, consolidated)
        elif not isinstance(node, zarr.Group):
            report.fail(label, "group not published as a group")
        else:
            try:
                report.ok(f"{label}: group and {check_attrs(obj, node, path, warnings)} "
                          "attributes equal")
            except Exception as e:  # noqa: BLE001
                report.fail(label, e if isinstance(e, AssertionError) else repr(e))
    for path in zarr_nodes.keys() - h5_nodes.keys() - links:
        report.fail(f"{file} {path!r}{mode}", "published, but no such dataset or group")
    return zarr_nodes


def check_file(report, base, path, entry):
    file = os.path.basename(path)
    try:
        f, padded = open_h5(path)
    except OSError as e:
        if entry:
            return report.fail(file, f"served, but HDF5 cannot open it: {e}")
        return report.ok(f"{file}: not served; HDF5 cannot open it either")
    with f:
        if padded and entry is None:
            # libhdf5 (h5py's too) refuses any file shorter than its recorded end: refusing it,
            # with the reason, is what every HDF5 reader does; serving it would need our own reader.
            return report.ok(f"{file}: not served; cut short, which libhdf5 refuses")
        if padded:  # cut short: served only if all its metadata is there
            try:
                for obj in h5_tree(f)[0].values():
                    expected_attrs(obj)
                    if isinstance(obj, h5py.Dataset):
                        obj.dtype, obj.id.get_offset()
            except Exception as e:  # noqa: BLE001
                if entry:
                    return report.fail(file, f"served, but its metadata is cut short ({e})")
                return report.ok(f"{file}: not served; its metadata is cut short ({e})")
        if entry is None:
            return report.fail(file, "not served, though HDF5 reads it")
        warnings = entry.get("warnings", [])
        for w in warnings:
            if "type class" in w or "\n" in w:
                report.fail(f"{file} warning", f"not a one-line reason in words: {w!r}")
        url = urllib.parse.urljoin(base + "/", entry["url"]).rstrip("/") + "/"
        try:
            check_json(report, f"{file} JSON", base, url)
        except Exception as e:  # noqa: BLE001
            report.fail(f"{file} JSON", f"{type(e).__name__}: {e}")
        size = os.path.getsize(path)
        zarr_nodes = check_store(report, file, f, url, warnings, size, True)
        check_store(report, file, f, store_url(url, False), warnings, size, False)
    if zarr_nodes is None:
        return
    if file.endswith(".nc") or file == "phony.h5":
        check_xarray(report, file, path, url.rstrip("/"), zarr_nodes)
    if file.endswith(".h5"):
        check_dims(report, file, path, zarr_nodes)


def main(base, folder):
    global VALUES_DIR
    VALUES_DIR = os.path.join(folder, ".h5py_values")
    report = Report()
    base = base.rstrip("/")
    served = {d["name"]: d for d in json.loads(fetch(base + "/", "application/json"))["datasets"]}
    files = sorted(glob.glob(os.path.join(folder, "*.h5")) +
                   glob.glob(os.path.join(folder, "*.nc")))
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0]
        check_file(report, base, path, served.get(name))
    report.summary()
    if report.failures:
        sys.exit(1)
    print("all world checks passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
