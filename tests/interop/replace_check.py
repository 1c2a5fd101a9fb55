"""Two versions of a file a publisher replaces by rename, and a reader that checks every chunk it
gets against both.

usage: replace_check.py write DIR FORMAT      -> DIR/a.nc, DIR/b.nc (FORMAT: NETCDF4, NETCDF3_CLASSIC)
       replace_check.py read URL SECONDS      -> "chunks N a A b B" or exits 1 naming a mixture

Version a holds t[i, y, x] = i * 100000 + y * 1000 + x (every element tells where it is), version b
the same plus 0.5, so a chunk from one version, from the other, from both mixed, or garbage, are
told apart element by element. The reader opens URL (a store's array, Zarr v2 documents) with
zarr-python once, then reads block after block for SECONDS: each fetch is one chunk request.
"""
import sys
import time

import numpy as np

T, Y, X = 8, 90, 180


def values(offset):
    i, y, x = np.meshgrid(np.arange(T), np.arange(Y), np.arange(X), indexing="ij")
    return (i * 100000 + y * 1000 + x + offset).astype("f8")


def write(folder, fmt):
    import netCDF4

    for name, offset in (("a", 0.0), ("b", 0.5)):
        with netCDF4.Dataset(f"{folder}/{name}.nc", "w", format=fmt) as nc:
            nc.createDimension("time", T)
            nc.createDimension("y", Y)
            nc.createDimension("x", X)
            extra = {"zlib": True, "shuffle": True, "chunksizes": (1, 45, 90)} \
                if fmt == "NETCDF4" else {}
            v = nc.createVariable("t", "f8", ("time", "y", "x"), **extra)
            v[:] = values(offset)
    print("written")


def read(url, seconds):
    import zarr

    z = zarr.open_array(url, mode="r")
    want = {"a": values(0.0), "b": values(0.5)}
    grid = [range(-(-n // c)) for n, c in zip(z.shape, z.chunks)]
    blocks = [(i, j, k) for i in grid[0] for j in grid[1] for k in grid[2]]
    seen = {"a": 0, "b": 0}
    n, until = 0, time.time() + seconds
    while time.time() < until:
        for idx in blocks:
            where = tuple(slice(b * c, min(n, (b + 1) * c))
                          for b, c, n in zip(idx, z.chunks, z.shape))
            got = z.get_basic_selection(where)  # one chunk: one request
            match = [v for v, w in want.items() if np.array_equal(got, w[where])]
            if not match:
                a, b = (np.sum(got == w[where]) for w in want.values())
                print(f"chunk {idx}: neither version ({a} elements as a, {b} as b, "
                      f"of {got.size})")
                sys.exit(1)
            seen[match[0]] += 1
            n += 1
    print(f"chunks {n} a {seen['a']} b {seen['b']}")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        read(sys.argv[2], float(sys.argv[3]))
