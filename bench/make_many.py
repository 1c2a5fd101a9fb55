"""Writes an HDF5 file of N datasets in nested groups, as instrument archives ship them.

usage: make_many.py PATH [N]   (default N = 1000; h5py, /usr/bin/python3)
Each dataset has four attributes (a string, a float, an int64 array, a non-ASCII unit);
a tenth are chunked and compressed, a tenth are enums, a tenth are compounds.
"""
import sys

import h5py
import numpy as np

path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
rng = np.random.default_rng(0)
enum_t = h5py.enum_dtype({"off": 0, "on": 1, "fault": 2}, basetype="i2")
cmp_t = np.dtype([("t", "<f8"), ("v", "<f4"), ("q", "u1")])
with h5py.File(path, "w") as f:
    f.attrs["title"] = "many datasets"
    for i in range(n):
        g = f.require_group(f"scan_{i // 100:02d}/block_{i // 10 % 10}")
        name = f"d{i:04d}"
        if i % 10 == 1:
            d = g.create_dataset(name, data=rng.integers(0, 3, 64).astype("i2"), dtype=enum_t)
        elif i % 10 == 2:
            d = g.create_dataset(name, data=np.zeros(32, cmp_t))
        elif i % 10 == 3:
            d = g.create_dataset(name, data=rng.random((64, 64)), chunks=(16, 64),
                                 compression="gzip", shuffle=True)
        else:
            d = g.create_dataset(name, data=rng.random(100).astype("f4"))
        d.attrs["long_name"] = f"channel {i}"
        d.attrs["scale"] = 0.5 * i
        d.attrs["ids"] = np.array([i, 2**62 + i], "i8")
        d.attrs["units"] = "µm"
print(f"wrote {n} datasets to {path}")
