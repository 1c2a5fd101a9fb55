"""zarr-python reads every layout fixture through zarrflask exactly as h5py reads the file.

usage: check_layouts.py BASE_URL DIR

Runs under zarr-python 2.13 (Debian 12: v2 documents, the consolidated .zmetadata) and 3.x
(today's: v3 documents, zarr.json's consolidated metadata), both from /NAME/ as Python is
answered there. Each line names the codecs the client decodes with, the same way for both
("ok   latest/ext ['shuffle', 'zlib']"); opening must not warn.
"""
import sys
import warnings

import fsspec
import h5py
import numpy as np
import zarr

try:
    import hdf5plugin  # noqa: F401 - lets h5py read the zstd and blosc fixtures
except ImportError:
    pass

ZARR3 = int(zarr.__version__.split(".")[0]) >= 3


def codec_names(arr):
    """The ids of the codecs after the array-to-bytes step, in order: filters then compressors."""
    if ZARR3:
        codecs = [*arr.filters, *arr.compressors]
    else:
        codecs = [*(arr.filters or []), *([arr.compressor] if arr.compressor else [])]
    names = []
    for c in codecs:
        # numcodecs (v2 and numcodecs.zarr3) have codec_id / codec_name; zarr's own v3 codecs
        # (GzipCodec, ZstdCodec, BloscCodec) say their name in to_dict()
        name = getattr(c, "codec_id", None) or getattr(c, "codec_name", None) or c.to_dict()["name"]
        names.append(name.removeprefix("numcodecs."))
    return names


base, folder = sys.argv[1], sys.argv[2]
bad = []
for libver in ("earliest", "latest"):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a zarr warning at open is a failure
        root = zarr.open_consolidated(fsspec.get_mapper(f"{base}/layouts_{libver}"))
    if ZARR3:  # Python is answered v3 at /NAME/ (zarr.json, its consolidated metadata)
        assert root.metadata.zarr_format == 3, root.metadata.zarr_format
    with h5py.File(f"{folder}/layouts_{libver}.h5", "r") as f:
        for name, dset in f.items():
            want = dset[()]
            try:
                got = root[name][()]
                np.testing.assert_array_equal(got, want)
                assert got.dtype == want.dtype.newbyteorder("="), (got.dtype, want.dtype)
                print(f"ok   {libver}/{name} {codec_names(root[name])}")
            except Exception as e:  # noqa: BLE001 - report all, then fail
                bad.append(f"{libver}/{name}")
                print(f"FAIL {libver}/{name}: {e!r}")
if bad:
    print(f"{len(bad)} failed: {bad}")
    sys.exit(1)
print("all layouts read back")
