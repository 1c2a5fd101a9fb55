"""Compares zarrflask's refs.json with the references kerchunk's SingleHdf5ToZarr makes for the same
file, chunk key for chunk key.

usage: refs_kerchunk.py FILE REFS_URL   -> prints one JSON line of counts, then "kerchunk ok"

kerchunk runs twice: as SingleHdf5ToZarr(FILE).translate() (its default inline_threshold, 500
bytes: smaller chunks inline) and with inline_threshold=0 (every chunk a range). For a key both
give as [url, offset, length], offset and length must be equal (URLs may differ). For a key one
side gives inline, the decoded values must be equal. A key only zarrflask gives must be an
unwritten chunk (kerchunk leaves it out) whose values are kerchunk's fill value. REFS_URL
answering 404 (a variable that cannot be referenced) is reported, with what kerchunk gives
instead.
"""
import base64
import json
import sys

import fsspec
import kerchunk
import numcodecs
import numpy as np
from kerchunk.hdf import SingleHdf5ToZarr

path, refs_url = sys.argv[1], sys.argv[2]


def is_chunk(key):
    return not key.rsplit("/", 1)[-1].startswith(".")


def raw(ref):
    """The bytes a reference stands for, as fsspec's reference filesystem reads them."""
    if isinstance(ref, str):
        return base64.b64decode(ref[7:]) if ref.startswith("base64:") else ref.encode()
    url, offset, length = ref
    with fsspec.open(url, "rb") as f:
        f.seek(offset)
        return f.read(length)


def array_of(refs, key):
    return json.loads(refs[key.rsplit("/", 1)[0] + "/.zarray"])


def decoded(refs, key):
    """A chunk's values, decoded with the codecs its own .zarray declares."""
    meta = array_of(refs, key)
    data = raw(refs[key])
    if meta["compressor"]:
        data = numcodecs.get_codec(meta["compressor"]).decode(data)
    for f in reversed(meta["filters"] or []):
        data = numcodecs.get_codec(f).decode(data)
    return np.frombuffer(bytes(data), dtype=meta["dtype"]).reshape(meta["chunks"])


def same_values(a, b):
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


def translate(threshold=None):
    """kerchunk's references; its default inline threshold unless one is given."""
    h5 = SingleHdf5ToZarr(path, **({} if threshold is None else {"inline_threshold": threshold}))
    try:
        return h5.translate()["refs"]
    finally:
        h5.close()


by_range, by_default = translate(0), translate()
try:
    with fsspec.open(refs_url, "rt") as f:
        ours = json.load(f)["refs"]
except FileNotFoundError:
    ours = None
if ours is None:
    ranges = [(k, v) for k, v in by_range.items() if is_chunk(k) and isinstance(v, list)]
    largest = max(ranges, key=lambda kv: kv[1][2])
    print(json.dumps({"file": path, "ours": 404, "kerchunk_ranges": len(ranges),
                      "kerchunk_largest": largest}))
    print("kerchunk ok")
    sys.exit(0)

# ranges: both [url, offset, length]; ours_inline: ours inline, kerchunk a range (values
# compared); kerchunk_inline: what kerchunk inlines by default (bytes or values compared)
report = {"file": path, "kerchunk": kerchunk.__version__, "keys": 0, "urls_differ": 0,
          "only_ours_fill": 0, "only_ours": [], "only_kerchunk": []}
for kind in ("ranges", "ours_inline", "kerchunk_inline"):
    report[kind] = {"equal": 0, "unequal": []}
ours_keys = {k for k in ours if is_chunk(k)}
theirs_keys = {k for k in by_range if is_chunk(k)}
report["only_kerchunk"] = sorted(theirs_keys - ours_keys)
for key in sorted(ours_keys - theirs_keys):
    # kerchunk leaves an unwritten chunk out: readers take its .zarray fill value
    meta = array_of(by_range, key)
    fill = meta["fill_value"]
    # an edge chunk's padding is no value of the array
    coords = [int(c) for c in key.rsplit("/", 1)[1].split(".")]
    inside = tuple(slice(0, min(n, size - c * n))
                   for c, n, size in zip(coords, meta["chunks"], meta["shape"]))
    values = decoded(ours, key)[inside]
    if fill is not None and same_values(values, np.full_like(values, fill)):
        report["only_ours_fill"] += 1
    else:
        report["only_ours"].append(key)



def tally(kind, key, equal, detail=None):
    if equal:
        report[kind]["equal"] += 1
    else:
        report[kind]["unequal"].append([key, detail] if detail else key)


for key in sorted(ours_keys & theirs_keys):
    report["keys"] += 1
    o, k = ours[key], by_range[key]
    if isinstance(o, list) and isinstance(k, list):
        tally("ranges", key, o[1:] == k[1:], [o[1:], k[1:]])
        report["urls_differ"] += o[0] != k[0]
    else:
        # kerchunk inlines some chunks even at threshold 0 (HDF5 features it cannot reference)
        tally("ours_inline" if isinstance(o, str) else "kerchunk_inline", key,
              same_values(decoded(ours, key), decoded(by_range, key)))
    d = by_default.get(key)
    if isinstance(d, str):
        # the same stored chunk: its bytes, unless ours is the served chunk inline
        tally("kerchunk_inline", key, raw(d) == raw(o) if isinstance(o, list) else
              same_values(decoded(ours, key), decoded(by_default, key)))

print(json.dumps(report))
bad = any(report[kind]["unequal"] for kind in ("ranges", "ours_inline", "kerchunk_inline")) or \
    report["only_ours"] or report["only_kerchunk"]
if bad:
    sys.exit(f"kerchunk and zarrflask differ: {json.dumps(report, indent=1)}")
print("kerchunk ok")
