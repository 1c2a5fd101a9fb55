"""Writes HDF5 files that exercise every chunk index and filter the pass-through reads,
and records HDF5's own answer for each chunk (offset, size, filter mask) as JSON.

usage: make_layouts.py DIR
Writes DIR/layouts_{earliest,latest}.h5 and DIR/layouts.json.
"""
import hashlib
import json
import sys
import zlib

import h5py
import numpy as np

try:
    import hdf5plugin  # noqa: F401 - registers the blosc (and, where built, zstd) filters
    PLUGINS = True
except ImportError:
    PLUGINS = False
ZSTD = PLUGINS and h5py.h5z.filter_avail(32015)
BLOSC = PLUGINS and h5py.h5z.filter_avail(32001)

out = sys.argv[1]
rng = np.random.default_rng(7)


def data(shape, dtype="f4"):
    return (rng.random(shape) * 1000).astype(dtype)


def write(f):
    # layout v4 indexes (libver latest) or v1 B-trees (earliest), by shape and maxshape:
    f.create_dataset("fixed", data=data((50, 30)), chunks=(7, 8))                  # fixed array
    f.create_dataset("fixed_paged", data=data((300, 40), "i2"), chunks=(2, 4))     # paged fixed array
    f.create_dataset("single", data=data((6, 5)), chunks=(6, 5), compression="gzip")  # single chunk
    f.create_dataset("ext", data=data((90, 12)), chunks=(2, 5), maxshape=(None, 12),
                     compression="gzip", shuffle=True)                             # extensible array
    f.create_dataset("ext_mid", data=data((4, 700), "f8"), chunks=(3, 2), maxshape=(4, None))
    f.create_dataset("btree2", data=data((40, 33)), chunks=(3, 4), maxshape=(None, None),
                     compression="gzip", compression_opts=2)                       # v2 B-tree
    f.create_dataset("btree2_big", data=data((200, 200), "u2"), chunks=(5, 5),
                     maxshape=(None, None))                                        # deeper v2 B-tree
    f.create_dataset("deflate_only", data=data((20, 20), "i4"), chunks=(8, 8), compression="gzip")
    f.create_dataset("fletcher", data=data((20,)), chunks=(6,), fletcher32=True)
    f.create_dataset("sparse", shape=(40,), dtype="f4", chunks=(10,), fillvalue=-5,
                     compression="gzip")
    f["sparse"][10:20] = 1.5                                                       # 3 chunks unwritten
    f.create_dataset("be", data=data((10,), ">f4"), chunks=(4,), compression="gzip")
    f.create_dataset("bytes", data=np.array([b"ab", b"cde", b"f"] * 5, "S3"), chunks=(4,),
                     compression="gzip")
    f.create_dataset("complex", data=(data((9,)) + 1j).astype("c8"), chunks=(4,),
                     compression="gzip", shuffle=True)
    masked = f.create_dataset("masked", shape=(4, 4), dtype="f4", chunks=(2, 2),
                              compression="gzip")
    masked[...] = np.arange(16, dtype="f4").reshape(4, 4)
    # a chunk stored with deflate skipped (filter mask bit 0), as HDF5 allows
    raw = np.full((2, 2), 42, "f4").tobytes()
    masked.id.write_direct_chunk((2, 2), raw, filter_mask=1)
    if ZSTD:
        f.create_dataset("zstd", data=data((30, 10)), chunks=(10, 10),
                         **hdf5plugin.Zstd(clevel=3))
    if BLOSC:
        f.create_dataset("blosc", data=data((30, 10)), chunks=(10, 10),
                         **hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    assert zlib  # keep the import honest: h5py's gzip is zlib's deflate


def chunk_table(f):
    """Every stored chunk as HDF5 itself finds it (read_direct_chunk: its real lookup path;
    get_chunk_info_by_coord in HDF5 1.10.8 misses chunks of swizzled extensible arrays)."""
    table = {}
    for name, d in f.items():
        if d.chunks is None:
            continue
        grid = [-(-n // c) for n, c in zip(d.shape, d.chunks)]
        entries = {}
        for idx in np.ndindex(*grid):
            offset = tuple(i * c for i, c in zip(idx, d.chunks))
            if d.id.get_chunk_info_by_coord(offset).byte_offset is None and name == "sparse":
                continue  # never written: HDF5 has no bytes for it
            mask, raw = d.id.read_direct_chunk(offset)
            entries[".".join(map(str, idx))] = [mask, hashlib.sha1(raw).hexdigest(), len(raw)]
        table[name] = entries
    return table


result = {"zstd": bool(ZSTD), "blosc": bool(BLOSC)}
for libver in ("earliest", "latest"):
    path = f"{out}/layouts_{libver}.h5"
    with h5py.File(path, "w", libver=libver) as f:
        write(f)
    with h5py.File(path, "r") as f:
        result[libver] = chunk_table(f)
with open(f"{out}/layouts.json", "w") as fh:
    json.dump(result, fh)
print("layouts written")
