"""h5py writers for make_world.py: every HDF5 type (types.h5) and every attribute kind (attrs.h5).

Each writer takes a path and writes one deterministic file.
"""
import h5py
import numpy as np

RNG_SEED = 20240611
INT_CODES = ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8"]
UTF8_WORDS = ["°C", "température", "気温", "🌧", ""]


def enum_mapping(code):
    """Names for the extremes of an integer type (h5py takes enum values as C long only)."""
    info = np.iinfo(np.dtype(code))
    high = min(int(info.max), 2**63 - 1)
    if info.min < 0:
        return {"LOW": int(info.min), "MINUS_ONE": -1, "ZERO": 0, "HIGH": high}
    big = 2**53 + 1 if code == "u8" else high - 1
    return {"ZERO": 0, "ONE": 1, "BIG": big, "HIGH": high}


def write_enums(f):
    """enum_{le_,be_,}{code}: enums on every integer base type, both byte orders."""
    for code in INT_CODES:
        for order in ("<", ">") if code[1] != "1" else ("|",):
            base = np.dtype(order + code)
            mapping = enum_mapping(code)
            values = np.array(list(mapping.values()) * 2, dtype=base)
            tag = {"<": "le_", ">": "be_", "|": ""}[order]
            f.create_dataset(f"enum_{tag}{code}", data=values,
                             dtype=h5py.enum_dtype(mapping, basetype=base))
    mapping = {"CALM": 0, "BREEZE": 3, "GALE": 8}
    f.create_dataset("enum_2d", data=np.array([[0, 3], [8, 0]], "u1"),
                     dtype=h5py.enum_dtype(mapping, basetype="u1"), chunks=(1, 2))


def write_compounds(f, rng):
    """Compounds: padding, reordered members, nesting, big-endian and array members, mixed."""
    padded = np.dtype({"names": ["a", "b", "c"], "formats": ["<i2", "<f8", "u1"],
                       "offsets": [0, 8, 20], "itemsize": 32})
    reordered = np.dtype({"names": ["x", "y"], "formats": ["<i4", "<f4"],
                          "offsets": [8, 0], "itemsize": 16})
    nested = np.dtype([("pos", [("x", "<f4"), ("y", "<f4")]), ("id", "<i4"),
                       ("inner", [("a", "u1"), ("deep", [("z", ">i2"), ("w", "<f8")])])])
    big_endian = np.dtype([("a", ">i4"), ("b", ">f8"), ("c", ">u2"), ("d", ">i8")])
    array_members = np.dtype([("f", "<f4", (3,)), ("n", "<i2"), ("m", "u1", (2, 2))])
    mixed = np.dtype([("flag", "?"), ("z", "<c8"), ("s", "S4"), ("h", "<f2"),
                      ("e", h5py.enum_dtype({"OFF": 0, "ON": 1}, basetype="i1"))])
    for name, dt in [("cmp_padded", padded), ("cmp_reordered", reordered),
                     ("cmp_nested", nested), ("cmp_be", big_endian),
                     ("cmp_array_member", array_members), ("cmp_mixed", mixed)]:
        data = np.zeros(7, dtype=dt)
        fill_fields(data, rng)
        f.create_dataset(name, data=data)
    chunked = np.zeros((5, 3), dtype=nested)
    fill_fields(chunked, rng)
    f.create_dataset("cmp_nested_chunked", data=chunked, chunks=(2, 2), compression="gzip")


def fill_fields(data, rng):
    """Deterministic values in every (nested) field of a structured array."""
    for name in data.dtype.names:
        field = data[name]
        if field.dtype.names:
            fill_fields(field, rng)
        elif field.dtype.kind == "S":
            field[...] = [f"s{i}".encode() for i in range(field.size)]
        elif field.dtype.kind == "b":
            field[...] = rng.random(field.shape) > 0.5
        elif field.dtype.kind in "iu":
            info = np.iinfo(field.dtype)
            lo = 0 if field.dtype.metadata else max(int(info.min), -1000)
            hi = 2 if field.dtype.metadata else min(int(info.max), 1000)
            field[...] = rng.integers(lo, hi, field.shape)
        else:
            field[...] = (rng.random(field.shape) * 100 - 50).astype(field.dtype)
            if field.dtype.kind == "c":
                field[...] += 1j * rng.random(field.shape).astype(field.dtype)


def write_arrays(f):
    """H5T_ARRAY element types: served with the element shape appended."""
    cmp = np.dtype([("a", "<i4"), ("b", ">f4")])
    records = np.zeros((3, 2), dtype=cmp)
    records["a"] = np.arange(6).reshape(3, 2)
    records["b"] = np.arange(6).reshape(3, 2) / 4
    for name, shape, element, data in [
        ("arr_f4_2x3", (4,), ("<f4", (2, 3)), np.arange(24, dtype="<f4").reshape(4, 2, 3)),
        ("arr_be_i2_3", (2, 2), (">i2", (3,)), np.arange(-6, 6, dtype=">i2").reshape(2, 2, 3)),
        ("arr_scalar_f8_4", (), ("<f8", (4,)), np.array([0.5, -1.5, np.nan, np.inf])),
        ("arr_cmp_2", (3,), (cmp, (2,)), records),
    ]:
        f.create_dataset(name, shape=shape, dtype=np.dtype(element))[...] = data


def write_bitfields(f):
    """H5T_BITFIELD datasets, little and big-endian, 8 to 64 bits (read as unsigned ints)."""
    for name, tid, base in [("bits_b8le", h5py.h5t.STD_B8LE, "u1"),
                            ("bits_b16be", h5py.h5t.STD_B16BE, ">u2"),
                            ("bits_b32le", h5py.h5t.STD_B32LE, "<u4"),
                            ("bits_b64be", h5py.h5t.STD_B64BE, ">u8")]:
        info = np.iinfo(np.dtype(base))
        values = np.array([0, 1, 0x80, int(info.max), int(info.max) // 3, 5], dtype=base)
        space = h5py.h5s.create_simple(values.shape)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_obj_track_times(False)  # deterministic bytes, as h5py's own default
        dset = h5py.h5d.create(f.id, name.encode(), tid, space, dcpl=dcpl)
        dset.write(h5py.h5s.ALL, h5py.h5s.ALL, values, mtype=tid)


def write_plain(f, rng):
    """bool, complex, float16, both byte orders of every int and float, fills, chunked BE."""
    for code in INT_CODES:
        info = np.iinfo(np.dtype(code))
        values = [int(info.min), 0, 1, int(info.max), int(info.max) // 7]
        f.create_dataset(f"int_{code}", data=np.array(values, "<" + code))
        if code[1] != "1":
            f.create_dataset(f"int_be_{code}", data=np.array(values, ">" + code))
    special = [0.0, -0.0, 1.5, np.nan, np.inf, -np.inf, 1e-30]
    for code in ["f4", "f8"]:
        f.create_dataset(f"float_{code}", data=np.array(special, "<" + code))
        f.create_dataset(f"float_be_{code}", data=np.array(special, ">" + code))
    f.create_dataset("float16", data=np.array(special + [6e-8, 65504], "<f2"))
    f.create_dataset("float16_be", data=np.array(special, ">f2"))
    f.create_dataset("bool", data=np.array([True, False, True, True]))
    f.create_dataset("bool_2d", data=rng.random((3, 5)) > 0.5, chunks=(2, 2))
    f.create_dataset("complex64", data=np.array([1 + 2j, np.nan + 0j, -0.5j], "<c8"))
    f.create_dataset("complex128", data=np.array([1 + 2j, complex(np.inf, -1), 3], "<c16"))
    f.create_dataset("complex64_be", data=np.array([1 + 2j, -3.25 - 4j], ">c8"))
    f.create_dataset("chunked_be_f8", data=rng.random((10, 10)).astype(">f8"), chunks=(3, 4),
                     compression="gzip", shuffle=True)
    fill = f.create_dataset("fill_be_i2", shape=(9,), dtype=">i2", chunks=(4,), fillvalue=-999)
    fill[:5] = np.arange(5)
    fill.attrs["_FillValue"] = np.array(-999, ">i2")


def write_strings(f):
    """Fixed and variable-length strings, ASCII and UTF-8, 1-d and 2-d."""
    f.create_dataset("str_fixed", data=np.array([b"abc", b"", b"defghij", b"k"], "S7"))
    utf8 = [w.encode() for w in UTF8_WORDS]
    fixed_utf8 = f.create_dataset("str_fixed_utf8", shape=(len(utf8),),
                                  dtype=h5py.string_dtype("utf-8", 16))
    fixed_utf8.id.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array(utf8, "S16"),
                        mtype=fixed_utf8.id.get_type())
    f.create_dataset("str_vlen_ascii", data=["one", "two", "", "three"],
                     dtype=h5py.string_dtype("ascii"))
    f.create_dataset("str_vlen_utf8", data=UTF8_WORDS, dtype=h5py.string_dtype())
    f.create_dataset("str_vlen_2d", data=np.array([["a", "é"], ["気温", "🌧 rain"]], object),
                     dtype=h5py.string_dtype(), chunks=(1, 2))


def write_scalars(f):
    """0-d datasets of each family."""
    f["scalar_i4"] = np.int32(-7)
    f["scalar_be_u8"] = np.array(2**64 - 1, ">u8")
    f["scalar_f8"] = np.float64(np.pi)
    f["scalar_bool"] = np.bool_(True)
    f["scalar_c16"] = np.complex128(1 - 1j)
    f.create_dataset("scalar_str_vlen", data="température 🌧", dtype=h5py.string_dtype())
    f["scalar_str_fixed"] = np.bytes_(b"fixed")
    f.create_dataset("scalar_enum", data=np.int16(-2),
                     dtype=h5py.enum_dtype({"NEG": -2, "POS": 2}, basetype=">i2"))
    f["scalar_cmp"] = np.array((1, 2.5), dtype=[("a", ">i4"), ("b", "<f8")])


def write_unmappable(f):
    """Types with no Zarr form: references, vlen sequences, long double, opaque."""
    target = f["int_i4"]
    refs = f.create_dataset("objref", shape=(2,), dtype=h5py.ref_dtype)
    refs[0], refs[1] = target.ref, f.ref
    region = f.create_dataset("regionref", shape=(1,), dtype=h5py.regionref_dtype)
    region[0] = target.regionref[1:3]
    ragged = f.create_dataset("vlen_i4", shape=(3,), dtype=h5py.vlen_dtype(np.int32))
    for i in range(3):
        ragged[i] = np.arange(i + 1, dtype=np.int32)
    f["opaque_v8"] = np.frombuffer(b"abcdefgh12345678", dtype="V8")
    cmp = np.dtype([("name", h5py.string_dtype()), ("v", "<i4")])
    f.create_dataset("cmp_vlen_str", data=np.array([("a", 1), ("é", 2)], dtype=cmp))
    if np.dtype(np.longdouble).itemsize > 8:
        f["longdouble"] = np.array([1.5, 1 / 3], dtype=np.longdouble)
    else:
        print("note: numpy longdouble is 8 bytes here; no long double dataset written")


def write_types(path):
    """types.h5: every HDF5 datatype h5py writes, one dataset each."""
    rng = np.random.default_rng(RNG_SEED)
    with h5py.File(path, "w") as f:
        write_plain(f, rng)
        write_enums(f)
        write_compounds(f, rng)
        write_arrays(f)
        write_bitfields(f)
        write_strings(f)
        write_scalars(f)
        write_unmappable(f)
        grp = f.create_group("nested/deeper")
        grp["enum_be_u4"] = f["enum_be_u4"][()]


def attribute_set(obj, tag):
    """The attribute kinds a mapper must keep exactly, on one object."""
    a = obj.attrs
    a["i64"] = np.int64(-9223372036854775807)
    a["u64"] = np.uint64(9223372036854775813)
    a["i64_array"] = np.array([-2**63, 2**53 + 1, 2**63 - 1], "<i8")
    a["u64_array"] = np.array([2**64 - 1, 2**53 + 1, 0], ">u8")
    a["u64_len1"] = np.array([2**64 - 2], "<u8")
    a["i8_2d"] = np.array([[-128, 0], [1, 127]], "i1")
    a["f32"] = np.float32(0.1)
    a["f64"] = 1 / 3
    a["f64_nan"] = np.nan
    a["f64_inf"] = np.inf
    a["f32_neg_inf"] = np.float32(-np.inf)
    a["f64_array"] = np.array([1.5, np.nan, -np.inf, np.inf])
    a["bool"] = np.bool_(True)
    a["bool_array"] = np.array([True, False])
    a["str_fixed"] = np.bytes_(b"fixed ascii")
    a["str_fixed_array"] = np.array([b"ab", b"cde"], "S3")
    a["str_vlen"] = f"plain {tag}"
    a["units"] = "°C"
    a["accent"] = "é"
    a["cjk"] = "気温"
    a["emoji"] = "🌧"
    a["str_vlen_array"] = np.array(["a", "°C", "気温", "🌧"], dtype=h5py.string_dtype())
    a["str_len1"] = np.array(["only"], dtype=h5py.string_dtype())
    a.create("str_fixed_utf8", np.array("température".encode(), "S13"),
             dtype=h5py.string_dtype("utf-8", 13))
    a["température"] = "non-ASCII attribute name"
    a["with space#?"] = 1
    a.create("enum_scalar", np.int16(2),
             dtype=h5py.enum_dtype({"A": 1, "B": 2}, basetype=">i2"))
    a.create("enum_array", np.array([1, 2, 1], "u1"),
             dtype=h5py.enum_dtype({"A": 1, "B": 2}, basetype="u1"))
    cmp = np.dtype([("a", "<i4"), ("b", ">f8"), ("s", "S3")])
    a["cmp_scalar"] = np.array((7, 2.5, b"xyz"), dtype=cmp)
    a["cmp_array"] = np.array([(1, 0.5, b"a"), (2, np.nan, b"bc")], dtype=cmp)
    a["cmp_nested"] = np.array(((1, 2), 3.5), dtype=[("p", [("x", "i2"), ("y", "i2")]),
                                                     ("v", "f4")])
    a["empty_f4"] = h5py.Empty("f4")
    a["int_array_empty"] = np.zeros((0,), "i4")


def write_int128(obj, name):
    """A 128-bit little-endian integer attribute, written raw with h5py's low level."""
    tid = h5py.h5t.STD_I64LE.copy()
    tid.set_size(16)
    attr = h5py.h5a.create(obj.id, name.encode(), tid, h5py.h5s.create(h5py.h5s.SCALAR))
    raw = (2**100 + 7).to_bytes(16, "little", signed=True)
    attr.write(np.frombuffer(raw, dtype="V16").reshape(()), mtype=tid)


def write_attrs(path):
    """attrs.h5: attributes on the root, groups and datasets; non-ASCII node names."""
    with h5py.File(path, "w") as f:
        attribute_set(f, "root")
        write_int128(f, "int128")
        grp = f.create_group("grp")
        attribute_set(grp, "group")
        data = grp.create_dataset("data", data=np.arange(6, dtype="f4").reshape(2, 3))
        attribute_set(data, "dataset")
        write_int128(data, "int128_on_dataset")
        data.attrs["ref"] = grp.ref
        f.attrs["ref"] = data.ref
        f.attrs["refs"] = np.array([data.ref, grp.ref], dtype=h5py.ref_dtype)
        for name in ["données", "気温", "🌧"]:
            sub = f.create_group(name)
            sub.attrs["title"] = f"group {name}"
            ds = sub.create_dataset(f"{name}_var", data=np.arange(3, dtype="i2"))
            ds.attrs["long_name"] = f"variable {name}"
        f["ñandú"] = np.array([1.0, 2.0])
        f["ñandú"].attrs["units"] = "m s⁻¹"
