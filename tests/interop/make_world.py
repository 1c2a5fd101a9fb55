"""Writes real-world fixtures with the writers people use: h5py, PyTables and netCDF4-python.

usage: make_world.py DIR
Every file in DIR is a fixture; check_world.py compares each with what the server publishes.
"""
import os
import sys

import h5py
import netCDF4
import numpy as np
import tables

from world_writers import write_attrs, write_types

RNG_SEED = 11

URL_HOSTILE = ["#a#", "a?b", "50%", "with space", "tab\tname", "ctl\x01", ".hidden",
               ".zarray", "zarr.json", ".zgroup", ".zattrs", ".zmetadata", "x#", "x?", "x_"]


def write_names(path):
    """names.h5: names a URL cannot carry, Zarr key names, and names that collide once made safe."""
    with h5py.File(path, "w") as f:
        for i, name in enumerate(URL_HOSTILE):
            f[name] = np.arange(3, dtype="i4") + 10 * i
            f[name].attrs["index"] = i
        groups = f.create_group("as_groups")
        for name in [".zarray", "zarr.json", ".zgroup", "#g?", "c"]:
            groups.create_group(name)["v"] = np.array([1.5, 2.5])
        g = f.create_group("#g#")
        g.attrs["about"] = "a group whose name holds #"
        g["d"] = np.arange(4, dtype="u2")
        g["x?"] = np.arange(2, dtype="u1")
        f["naïve"] = np.zeros(2)  # non-ASCII, but safe in a URL: kept as is


def write_partial(path):
    """partial.h5: a dangling soft link and an external link to a missing file beside good data."""
    with h5py.File(path, "w") as f:
        f["good"] = np.arange(5, dtype="f8")
        f["dangling"] = h5py.SoftLink("/nowhere/at/all")
        f["external"] = h5py.ExternalLink("missing_file.h5", "/data")
        g = f.create_group("grp")
        g["good_too"] = np.arange(3, dtype="i2")
        g["dangling_too"] = h5py.SoftLink("/grp/nothing")


def written(scratch, write, libver="earliest"):
    """The bytes of an HDF5 file written by `write(f)` at `scratch` (then removed), with no
    timestamps in it, so that the cut files are the same every time."""
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    if libver == "latest":
        fapl.set_libver_bounds(h5py.h5f.LIBVER_LATEST, h5py.h5f.LIBVER_LATEST)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    fid = h5py.h5f.create(scratch.encode(), h5py.h5f.ACC_TRUNC, fapl=fapl, fcpl=fcpl)
    with h5py.File(fid) as f:
        write(f)
    with open(scratch, "rb") as f:
        data = f.read()
    os.remove(scratch)
    return data


def ordinary(f):
    """A plain file whose root symbol table, grown by 40 groups, lies after 800 kB of data."""
    f["data"] = np.arange(100_000, dtype="f8")
    for i in range(40):
        g = f.create_group(f"group_{i:02d}")
        g.attrs["title"] = f"group number {i}"
        g["v"] = np.arange(i + 1)


def small_then_big(f):
    """Metadata first (libver latest), then 8 MiB of contiguous raw data."""
    f["small"] = np.arange(10, dtype="i4")
    f["small"].attrs["units"] = "1"
    f["big"] = np.arange(1 << 20, dtype="f8")


def write_truncated(folder):
    """truncated.h5: an ordinary file cut to 60%, through the root group's symbol table;
    truncated_data.h5: all metadata intact, the raw data of its big dataset cut in half."""
    scratch = os.path.join(folder, "scratch.tmp")
    data = written(scratch, ordinary)
    with open(os.path.join(folder, "truncated.h5"), "wb") as out:
        out.write(data[: len(data) * 6 // 10])
    data = written(scratch, small_then_big, libver="latest")
    with open(os.path.join(folder, "truncated_data.h5"), "wb") as out:
        out.write(data[: len(data) // 2])


def write_pytables(path):
    """pytables.h5: Table (enum, string, bool, uint64, vector columns), Array, CArray, EArray,
    VLArray and an EnumAtom array, TITLE and user attributes."""
    weather = tables.Enum(["sun", "rain", "snow"])

    class Row(tables.IsDescription):
        id = tables.Int32Col(pos=0)
        temp = tables.Float64Col(pos=1)
        name = tables.StringCol(12, pos=2)
        kind = tables.EnumCol(weather, "sun", base="uint8", pos=3)
        ok = tables.BoolCol(pos=4)
        big = tables.UInt64Col(pos=5)
        vec = tables.Float32Col(shape=(3,), pos=6)

    rng = np.random.default_rng(RNG_SEED)
    complib = "blosc" if "blosc" in tables.filters.all_complibs else "zlib"
    with tables.open_file(path, "w", title="PyTables world") as h:
        h.root._v_attrs.institution = "zarrflask tests"
        h.root._v_attrs.version_number = np.int64(2**62 + 1)
        h.root._v_attrs.weights = np.array([0.25, 0.5])
        table = h.create_table("/", "obs", Row, "observations", track_times=False)
        row = table.row
        for i in range(20):
            row["id"], row["temp"], row["name"] = i, i * 1.5 - 4, f"station {i}"
            row["kind"], row["ok"], row["big"] = i % 3, bool(i % 2), 2**63 + i
            row["vec"] = [i, i + 0.5, -i]
            row.append()
        table.flush()
        table.attrs.units = "°C"
        h.create_array("/", "array", np.arange(12, dtype="i2").reshape(3, 4), "an Array",
                        track_times=False)
        grp = h.create_group("/", "compressed", "CArrays")
        for lib in sorted({complib, "zlib"}):
            carr = h.create_carray(grp, f"carray_{lib}", tables.Float32Atom(), shape=(50, 40),
                                   chunkshape=(16, 16),
                                   filters=tables.Filters(complevel=5, complib=lib, shuffle=True),
                                   track_times=False)
            carr[:] = rng.random((50, 40)).astype("f4")
        earr = h.create_earray("/", "earray", tables.Int64Atom(), shape=(0, 3), chunkshape=(4, 3),
                               track_times=False)
        for i in range(5):
            earr.append(np.arange(3, dtype="i8")[None, :] + 2**60 * i)
        vlarr = h.create_vlarray("/", "vlarray", tables.Int32Atom(), "ragged rows",
                                 track_times=False)
        for i in range(4):
            vlarr.append(np.arange(i, dtype="i4"))
        enums = h.create_carray("/", "enum_array", tables.EnumAtom(weather, "sun", base="int16"),
                                shape=(6,), track_times=False)
        enums[:] = [0, 1, 2, 2, 1, 0]
        h.create_array("/", "bools", np.array([True, False, True]), track_times=False)


def write_cf_unicode(path):
    """cf_unicode.nc: CF netCDF-4 with non-ASCII attributes, variable and group names,
    64-bit attributes beyond 2^53 and ordinary coordinates."""
    rng = np.random.default_rng(RNG_SEED)
    nc = netCDF4.Dataset(path, "w", format="NETCDF4")
    nc.Conventions = "CF-1.8"
    nc.title = "données météo 🌧"
    nc.summary = "気温 (air temperature) in °C"
    nc.setncattr("big_int64", np.int64(-9223372036854775807))
    nc.setncattr("big_uint64", np.uint64(9223372036854775813))
    nc.setncattr("int64_array", np.array([2**53 + 1, -(2**62)], "i8"))
    nc.createDimension("time", None)
    nc.createDimension("lat", 5)
    nc.createDimension("lon", 8)
    time = nc.createVariable("time", "f8", ("time",))
    time.units = "days since 2000-01-01"
    time.calendar = "standard"
    time[:] = np.arange(4)
    lat = nc.createVariable("lat", "f4", ("lat",))
    lat.units, lat.standard_name = "degrees_north", "latitude"
    lat[:] = np.linspace(-60, 60, 5)
    lon = nc.createVariable("lon", "f4", ("lon",))
    lon.units, lon.standard_name = "degrees_east", "longitude"
    lon[:] = np.arange(8) * 45.0
    temp = nc.createVariable("température", "f4", ("time", "lat", "lon"), fill_value=-999.0,
                             zlib=True, chunksizes=(1, 5, 4))
    temp.units = "°C"
    temp.long_name = "température de l'air"
    temp.comment = "気温 🌧"
    temp[:] = (rng.random((4, 5, 8)) * 40 - 10).astype("f4")
    temp[0, 0, 0] = -999.0
    count = nc.createVariable("count", "u8", ("lat",))
    count.setncattr("valid_max", np.uint64(2**64 - 1))
    count[:] = np.array([0, 1, 2**53 + 1, 2**63, 2**64 - 1], "u8")
    for gname in ["prévision", "気象"]:
        grp = nc.createGroup(gname)
        grp.description = f"groupe {gname} ✓"
        var = grp.createVariable("précip", "f8", ("time", "lat"))
        var.units = "mm"
        var.long_name = "précipitation 🌧"
        var[:] = rng.random((4, 5))
    nc.close()


def write_phony(path):
    """phony.h5: plain h5py datasets without dimension scales, sharing lengths across groups."""
    rng = np.random.default_rng(RNG_SEED)
    with h5py.File(path, "w") as f:
        f["a"] = rng.random((3, 4))
        f["b"] = np.arange(4, dtype="i4")
        f["c"] = np.arange(3, dtype="f4")
        f["square"] = rng.random((5, 5)).astype("f4")
        f["scalar"] = 2.5
        f.create_dataset("chunked", data=rng.random((6, 4)), chunks=(2, 2), compression="gzip")
        f.attrs["title"] = "phony dimensions"
        g = f.create_group("g")
        g["x"] = rng.random((4, 7))
        g["y"] = np.arange(3, dtype="i2")
        g.create_group("h")["z"] = rng.random((7, 4))


def main(folder):
    os.makedirs(folder, exist_ok=True)
    write_types(os.path.join(folder, "types.h5"))
    write_attrs(os.path.join(folder, "attrs.h5"))
    write_names(os.path.join(folder, "names.h5"))
    write_partial(os.path.join(folder, "partial.h5"))
    write_truncated(folder)
    write_pytables(os.path.join(folder, "pytables.h5"))
    write_cf_unicode(os.path.join(folder, "cf_unicode.nc"))
    write_phony(os.path.join(folder, "phony.h5"))
    print("world fixtures written")


if __name__ == "__main__":
    main(sys.argv[1])
