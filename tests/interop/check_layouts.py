"""zarr-python reads every layout fixture through zarrflask exactly as h5py reads the file.

usage: check_layouts.py BASE_URL DIR
"""
import sys

import fsspec
import h5py
import numpy as np
import zarr

try:
    import hdf5plugin  # noqa: F401 - lets h5py read the zstd and blosc fixtures
except ImportError:
    pass

base, folder = sys.argv[1], sys.argv[2]
bad = []
for libver in ("earliest", "latest"):
    root = zarr.open_consolidated(fsspec.get_mapper(f"{base}/layouts_{libver}"))
    with h5py.File(f"{folder}/layouts_{libver}.h5", "r") as f:
        for name, dset in f.items():
            want = dset[()]
            try:
                got = root[name][()]
                np.testing.assert_array_equal(got, want)
                assert got.dtype == want.dtype.newbyteorder("="), (got.dtype, want.dtype)
                print(f"ok   {libver}/{name} {root[name].filters} {root[name].compressor}")
            except Exception as e:  # noqa: BLE001 - report all, then fail
                bad.append(f"{libver}/{name}")
                print(f"FAIL {libver}/{name}: {e!r}")
if bad:
    print(f"{len(bad)} failed: {bad}")
    sys.exit(1)
print("all layouts read back")
