/**
 * Test fixtures for HDF5 compression filters.
 *
 * {@link writeFilterFixture} writes one chunked dataset per filter that
 * h5wasm 0.10.3 with `h5wasm-plugins` 0.2.1 can write (gzip and szip are built
 * into h5wasm; blosc, blosc2, bitshuffle, bzip2, lz4, lzf, zfp and zstd come
 * from the plugins). h5wasm's `create_dataset` sets exactly one filter, as
 * mandatory, so two more datasets come from h5py (`/usr/bin/python3`):
 * shuffle+gzip ({@link writeShuffleGzipFixture}) and LZO, a filter h5wasm has
 * no plugin for ({@link writeLzoFixture}).
 *
 * Every dataset is {@link SHAPE} = 50 x 70 in {@link CHUNKS} = 16 x 32 chunks:
 * 4 x 3 chunks, the last row and column of chunks partial (2 rows, 6 columns).
 * Values are {@link floatValues} or {@link intValues}: distinct per row and per
 * column pair, so every chunk compresses (lzf, szip and LZO fail or skip
 * chunks they cannot shrink).
 *
 * Filters that h5wasm 0.10.3 + h5wasm-plugins 0.2.1 cannot write, so left out:
 * see {@link UNWRITABLE}. Some of them abort inside the wasm module, and the
 * chunk left in the cache aborts again at every later flush or close (the run
 * ends with an uncaught error): never try them in a test process.
 */
import h5wasm from "h5wasm/node";
import { base_url as pluginBaseUrl, install_local_plugins } from "h5wasm-plugins";
import { PYTHON } from "./setup.ts";

/** The Python with h5py (and PyTables, hdf5plugin) that writes the h5py fixtures. */
export { PYTHON };

/** A filter as h5wasm's `Dataset.filters` reports it. */
export interface H5Filter {
  /** HDF5 filter id. */
  id: number;
  /** The name stored in the file's pipeline message (a plugin's long description). */
  name: string;
  /** Client data values after the filter's `set_local` callback. */
  cd_values: number[];
}

/** Element types the fixtures use. */
export type FixtureDtype = "<f4" | "<i4";

/** One fixture dataset and the filter it exercises. */
export interface FilterSpec {
  /** Dataset name in the fixture file. */
  name: string;
  /** Short filter label, e.g. `"blosc"`, `"shuffle+gzip"`. */
  filter: string;
  /** HDF5 id of the compressing filter (the last one in the pipeline). */
  id: number;
  /** The cd_values handed to the writer (`compression_opts`). */
  opts: number[];
  /** Element type written. */
  dtype: FixtureDtype;
  /** Which function writes the dataset: {@link writeFilterFixture} (h5wasm) or an h5py one. */
  writer: "h5wasm" | "h5py";
  /** Whether h5wasm reads back exactly what was written. */
  lossless: boolean;
  /** For lossy filters, the largest absolute error allowed against the written values. */
  tolerance?: number;
  /** The whole pipeline as h5wasm's `Dataset.filters` reports it on the written file. */
  reported: H5Filter[];
  /**
   * Whether h5py 3.7 (HDF5 1.10.8) from Debian reads the dataset back equal:
   * `"yes"` with `import hdf5plugin` (4.0.1, which on Debian embeds no filters)
   * and `HDF5_PLUGIN_PATH=/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins`
   * (lzf, bitshuffle); `"tables"` only once `import tables` has registered
   * PyTables' blosc, bzip2 and lzo filters in the process; `"no"` otherwise.
   */
  h5py: "yes" | "tables" | "no";
  /** Anything a test should know. */
  note?: string;
}

/** A dataset {@link writeFilterFixture} or {@link writeShuffleGzipFixture} wrote, with its expected values. */
export interface FilterDataset {
  /** Short filter label ({@link FilterSpec.filter}). */
  filter: string;
  /** HDF5 id of the compressing filter. */
  id: number;
  /** Element type. */
  dtype: FixtureDtype;
  /** Dataset shape, {@link SHAPE}. */
  shape: number[];
  /** Chunk shape, {@link CHUNKS}. */
  chunks: number[];
  /** Whether `values` are the written values (else they are h5wasm's read-back of a lossy filter). */
  lossless: boolean;
  /** Row-major values a reader must return. */
  values: Float32Array | Int32Array;
}

/** Shape of every fixture dataset. */
export const SHAPE: readonly number[] = [50, 70];
/** Chunk shape of every fixture dataset: 4 x 3 chunks, partial at the far edges. */
export const CHUNKS: readonly number[] = [16, 32];
/** What h5wasm's error says when reading {@link writeLzoFixture}'s dataset. */
export const LZO_READ_ERROR: RegExp = /required filter .*is not registered/;

const BLOSC =
  "HDF5 blosc filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
const BLOSC2 =
  "HDF5 blosc2 filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
const BSHUF = "bitshuffle; see https://github.com/kiyo-masui/bitshuffle";
const BZIP2 =
  "HDF5 bzip2 filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
const LZ4 =
  "HDF5 lz4 filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
const LZF =
  "HDF5 lzf filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
const ZFP = "H5Z-ZFP-1.1.1 (ZFP-1.0.1) github.com/LLNL/H5Z-ZFP";
const ZSTD =
  "HDF5 zstd filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";

/**
 * One entry per fixture dataset.
 *
 * cd_values layouts, as reported after writing (chunk 16 x 32 of 4-byte
 * elements = 2048 bytes):
 * - blosc (32001): `[filter rev 2, blosc format 2, typesize, chunk bytes,
 *   clevel, shuffle (0 none, 1 byte, 2 bit), compressor (0 blosclz, 1 lz4,
 *   2 lz4hc, 3 snappy, 4 zlib, 5 zstd)]`; the writer passes
 *   `[0, 0, 0, 0, clevel, shuffle, compressor]`. Chunks are plain blosc1
 *   frames, as numcodecs' `blosc` codec reads them.
 * - blosc2 (32026): `[filter rev 1, 0, typesize, chunk bytes, clevel, filter,
 *   compressor, ndim, ...chunk shape]`.
 * - bitshuffle (32008): `[major 0, minor 4, elem size, block size (0 auto),
 *   compression (0 none, 2 lz4, 3 zstd), zstd level]`; the writer passes
 *   `[block size, compression, level]` and the filter prepends three values.
 * - zstd (32015): `[level]`, the level as uint32 (-1 is 4294967295); chunks
 *   are single zstd frames, as numcodecs' `zstd` codec reads them.
 * - szip (4): `[options mask, pixels per block, bits per pixel, pixels per
 *   scanline]`; the writer passes `[mask, pixels per block]` (33 = NN|K13,
 *   5 = EC|K13; the library adds LSB = 8).
 * - zfp (32013): a header encoding mode, type and chunk dims, not the options.
 */
export const FILTERS: FilterSpec[] = [
  {
    name: "gzip",
    filter: "gzip",
    id: 1,
    opts: [4],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 1, name: "deflate", cd_values: [4] }],
    h5py: "yes",
  },
  {
    name: "shuffle",
    filter: "shuffle",
    id: 2,
    opts: [],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 2, name: "shuffle", cd_values: [4] }],
    h5py: "yes",
    note: "shuffle alone, no compressor",
  },
  {
    name: "shuffle_gzip",
    filter: "shuffle+gzip",
    id: 1,
    opts: [4],
    dtype: "<f4",
    writer: "h5py",
    lossless: true,
    reported: [
      { id: 2, name: "shuffle", cd_values: [4] },
      { id: 1, name: "deflate", cd_values: [4] },
    ],
    h5py: "yes",
    note: "h5wasm sets one filter per dataset: written by writeShuffleGzipFixture",
  },
  {
    name: "szip",
    filter: "szip",
    id: 4,
    opts: [33, 8],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 4, name: "szip", cd_values: [41, 8, 32, 32] }],
    h5py: "yes",
    note: "h5wasm sets szip mandatory (H5Pset_szip would make it optional): a chunk szip " +
      "cannot shrink fails the write (EC on these int32 values does)",
  },
  {
    name: "szip_ec",
    filter: "szip",
    id: 4,
    opts: [5, 16],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 4, name: "szip", cd_values: [13, 16, 32, 32] }],
    h5py: "yes",
  },
  {
    name: "blosc_lz4",
    filter: "blosc",
    id: 32001,
    opts: [0, 0, 0, 0, 5, 1, 1],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32001, name: BLOSC, cd_values: [2, 2, 4, 2048, 5, 1, 1] }],
    h5py: "tables",
    note: "lz4, byte shuffle",
  },
  {
    name: "blosc_lz4hc",
    filter: "blosc",
    id: 32001,
    opts: [0, 0, 0, 0, 9, 1, 2],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32001, name: BLOSC, cd_values: [2, 2, 4, 2048, 9, 1, 2] }],
    h5py: "tables",
    note: "lz4hc level 9, byte shuffle",
  },
  {
    name: "blosc_blosclz",
    filter: "blosc",
    id: 32001,
    opts: [0, 0, 0, 0, 5, 0, 0],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32001, name: BLOSC, cd_values: [2, 2, 4, 2048, 5, 0, 0] }],
    h5py: "tables",
    note: "blosclz, no shuffle",
  },
  {
    name: "blosc_zstd",
    filter: "blosc",
    id: 32001,
    opts: [0, 0, 0, 0, 5, 1, 5],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32001, name: BLOSC, cd_values: [2, 2, 4, 2048, 5, 1, 5] }],
    h5py: "tables",
    note: "zstd, byte shuffle",
  },
  {
    name: "blosc_zstd_bitshuffle",
    filter: "blosc",
    id: 32001,
    opts: [0, 0, 0, 0, 3, 2, 5],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32001, name: BLOSC, cd_values: [2, 2, 4, 2048, 3, 2, 5] }],
    h5py: "tables",
    note: "zstd level 3, bit shuffle",
  },
  {
    name: "blosc2",
    filter: "blosc2",
    id: 32026,
    opts: [0, 0, 0, 0, 5, 1, 1],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32026, name: BLOSC2, cd_values: [1, 0, 4, 2048, 5, 1, 1, 2, 16, 32] }],
    h5py: "no",
    note: "lz4, byte shuffle",
  },
  {
    name: "blosc2_zstd",
    filter: "blosc2",
    id: 32026,
    opts: [0, 0, 0, 0, 5, 2, 5],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32026, name: BLOSC2, cd_values: [1, 0, 4, 2048, 5, 2, 5, 2, 16, 32] }],
    h5py: "no",
    note: "zstd, bit shuffle",
  },
  {
    name: "bshuf_lz4",
    filter: "bitshuffle",
    id: 32008,
    opts: [0, 2],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32008, name: BSHUF, cd_values: [0, 4, 4, 0, 2] }],
    h5py: "yes",
  },
  {
    name: "bshuf_zstd",
    filter: "bitshuffle",
    id: 32008,
    opts: [0, 3, 3],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32008, name: BSHUF, cd_values: [0, 4, 4, 0, 3, 3] }],
    h5py: "no",
    note: "Debian's bitshuffle plugin has no zstd",
  },
  {
    name: "bzip2",
    filter: "bzip2",
    id: 307,
    opts: [9],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 307, name: BZIP2, cd_values: [9] }],
    h5py: "tables",
  },
  {
    name: "lz4",
    filter: "lz4",
    id: 32004,
    opts: [0],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32004, name: LZ4, cd_values: [0] }],
    h5py: "no",
    note: "block size 0 = whole chunk",
  },
  {
    name: "lzf",
    filter: "lzf",
    id: 32000,
    opts: [],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32000, name: LZF, cd_values: [4, 261, 2048] }],
    h5py: "yes",
    note: "h5wasm sets lzf mandatory (h5py: optional): a chunk lzf cannot shrink fails the write",
  },
  {
    name: "zfp_reversible",
    filter: "zfp",
    id: 32013,
    opts: [5, 0, 0, 0, 0, 0],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{
      id: 32013,
      name: ZFP,
      cd_values: [269504785, 91252346, 4026532340, 2281701376],
    }],
    h5py: "no",
    note: "reversible mode on int32; on float32 it aborts the wasm module (see UNWRITABLE)",
  },
  {
    name: "zfp_precision",
    filter: "zfp",
    id: 32013,
    opts: [2, 0, 20, 0, 0, 0],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: false,
    tolerance: 1 / 16,
    reported: [{
      id: 32013,
      name: ZFP,
      cd_values: [269504785, 91252346, 4026532342, 2167406592],
    }],
    h5py: "no",
    note: "fixed precision 20 bits, lossy: expected values are h5wasm's read-back",
  },
  {
    name: "zstd",
    filter: "zstd",
    id: 32015,
    opts: [3],
    dtype: "<f4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32015, name: ZSTD, cd_values: [3] }],
    h5py: "no",
  },
  {
    name: "zstd_negative",
    filter: "zstd",
    id: 32015,
    opts: [-1 >>> 0],
    dtype: "<i4",
    writer: "h5wasm",
    lossless: true,
    reported: [{ id: 32015, name: ZSTD, cd_values: [4294967295] }],
    h5py: "no",
    note: "level -1, stored as uint32 4294967295",
  },
  {
    name: "lzo",
    filter: "lzo",
    id: 305,
    opts: [5, 11, 4],
    dtype: "<f4",
    writer: "h5py",
    lossless: true,
    reported: [{ id: 305, name: "lzo", cd_values: [5, 11, 4] }],
    h5py: "tables",
    note: "no h5wasm plugin: reading fails with LZO_READ_ERROR. Written by writeLzoFixture, " +
      "optional flag, every chunk LZO-encoded. The name is '' (not 'lzo') and chunks are raw " +
      "bytes if PyTables is missing",
  },
];

/**
 * Filters h5wasm 0.10.3 + h5wasm-plugins 0.2.1 cannot write, with what
 * happens. "Aborted" means the wasm module aborted on a symbol the plugin
 * needs but h5wasm does not export; the dirty chunk stays in the cache and
 * aborts again on every later flush.
 */
export const UNWRITABLE: { filter: string; id: number; opts: number[]; error: string }[] = [
  {
    filter: "blosc/zlib",
    id: 32001,
    opts: [0, 0, 0, 0, 5, 1, 4],
    error:
      "Aborted(Assertion failed: undefined symbol 'compress2'. perhaps a side module was not linked in?",
  },
  {
    filter: "blosc/snappy",
    id: 32001,
    opts: [0, 0, 0, 0, 5, 1, 3],
    error: "write fails (snappy not built into the plugin's c-blosc); chunks read back as garbage",
  },
  {
    filter: "zfp reversible, float32",
    id: 32013,
    opts: [5, 0, 0, 0, 0, 0],
    error: "Aborted(Assertion failed: undefined symbol 'memcmp'. ...)",
  },
  {
    filter: "zfp fixed accuracy",
    id: 32013,
    opts: [3, 0, 0, 0x3f50624d, 0, 0],
    error: "Aborted(Assertion failed: undefined symbol 'ldexp'. ...)",
  },
  {
    filter: "lzo",
    id: 305,
    opts: [],
    error: "H5Dcreate2(): ... H5Z_find(): required filter 305 is not registered (h5wasm sets " +
      "filters mandatory; no plugin)",
  },
  {
    filter: "shuffle+gzip",
    id: 1,
    opts: [4],
    error: "create_dataset takes one filter: written with h5py instead",
  },
];

/** `(r - 20) * 100 + floor(c / 2) * 0.5` at row r, column c of {@link SHAPE}, row-major. */
export function floatValues(): Float32Array {
  const [rows, cols] = SHAPE;
  const a = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) a[r * cols + c] = (r - 20) * 100 + Math.floor(c / 2) * 0.5;
  }
  return a;
}

/** `(r - 20) * 1000 + floor(c / 2) * 7` at row r, column c of {@link SHAPE}, row-major. */
export function intValues(): Int32Array {
  const [rows, cols] = SHAPE;
  const a = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) a[r * cols + c] = (r - 20) * 1000 + Math.floor(c / 2) * 7;
  }
  return a;
}

function valuesFor(dtype: FixtureDtype): Float32Array | Int32Array {
  return dtype === "<f4" ? floatValues() : intValues();
}

/** The h5wasm module (`await h5wasm.ready`). */
export type H5Module = Awaited<typeof h5wasm.ready>;
type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

/** The folder of h5wasm-plugins' `libH5Z*.so` files. */
export const PLUGIN_DIR: string = decodeURIComponent(
  new URL(`${pluginBaseUrl as string}/plugins`).pathname,
);

/**
 * The h5wasm module with errors thrown and h5wasm-plugins' folder first on
 * HDF5's plugin search path (once per process; the path is process-wide, so
 * every later h5wasm read in the process finds the plugins).
 */
export async function installFilterPlugins(): Promise<H5Module> {
  const m = await h5wasm.ready;
  m.activate_throwing_error_handler();
  if (!m.get_plugin_search_paths().includes(PLUGIN_DIR)) install_local_plugins(m);
  return m;
}

function dataset(file: H5File, name: string): H5Dataset {
  const d = file.get(name);
  if (!(d instanceof h5wasm.Dataset)) throw new Error(`${name}: not a dataset`);
  return d;
}

function sameFilters(got: H5Filter[], want: H5Filter[]): boolean {
  return JSON.stringify(got.map(({ id, name, cd_values }) => ({ id, name, cd_values }))) ===
    JSON.stringify(want);
}

/** Index and values of the first element where `got` and `want` differ by more than `tol`. */
function firstDifference(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol = 0,
): string | null {
  if (got.length !== want.length) return `length ${got.length}, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol)) return `[${i}] = ${got[i]}, want ${want[i]}`;
  }
  return null;
}

/** Checks a reopened fixture: filters as {@link FilterSpec.reported}, values as written. */
function verify(file: H5File, spec: FilterSpec, written: Float32Array | Int32Array): FilterDataset {
  const d = dataset(file, spec.name);
  const filters = d.filters as H5Filter[];
  if (!sameFilters(filters, spec.reported)) {
    throw new Error(
      `${spec.name}: filters ${JSON.stringify(filters)}, want ${JSON.stringify(spec.reported)}`,
    );
  }
  const got = d.value;
  const ctor = written.constructor as typeof Float32Array | typeof Int32Array;
  if (!(got instanceof ctor)) {
    throw new Error(`${spec.name}: read ${String(got)}, want ${ctor.name}`);
  }
  const diff = firstDifference(got, written, spec.lossless ? 0 : spec.tolerance ?? 0);
  if (diff) throw new Error(`${spec.name} (${spec.filter}) read back ${diff}`);
  return {
    filter: spec.filter,
    id: spec.id,
    dtype: spec.dtype,
    shape: [...SHAPE],
    chunks: [...CHUNKS],
    lossless: spec.lossless,
    values: spec.lossless ? written : got,
  };
}

/**
 * Writes every {@link FILTERS} entry with `writer: "h5wasm"` into one file at
 * `path` (overwritten), reopens it with h5wasm and checks each dataset's
 * filters against {@link FilterSpec.reported} and its values against the
 * written ones (exactly, or within {@link FilterSpec.tolerance} for zfp's
 * lossy mode). Installs the plugins (see {@link installFilterPlugins}).
 *
 * @returns the expected values per dataset name; for lossy filters, h5wasm's
 * read-back.
 */
export async function writeFilterFixture(path: string): Promise<Record<string, FilterDataset>> {
  await installFilterPlugins();
  const specs = FILTERS.filter((s) => s.writer === "h5wasm");
  const written = new Map(specs.map((s) => [s.name, valuesFor(s.dtype)]));
  const f = new h5wasm.File(path, "w");
  try {
    for (const s of specs) {
      try {
        f.create_dataset({
          name: s.name,
          data: written.get(s.name)!,
          shape: [...SHAPE],
          dtype: s.dtype,
          chunks: [...CHUNKS],
          compression: s.id,
          compression_opts: s.opts,
        });
        f.flush(); // runs the filter now, so a failure names its dataset
      } catch (e) {
        throw new Error(`writing ${s.name} (${s.filter}): ${e instanceof Error ? e.message : e}`);
      }
    }
  } finally {
    f.close();
  }
  const g = new h5wasm.File(path, "r");
  try {
    return Object.fromEntries(specs.map((s) => [s.name, verify(g, s, written.get(s.name)!)]));
  } finally {
    g.close();
  }
}

/**
 * Writes the given datasets with h5py: `shuffle+gzip` with h5py's own
 * options; `unavailable` with the filter set optional and every chunk
 * encoded, by the filter if this Python has it (PyTables registers lzo,
 * bzip2 and blosc with libhdf5 on import) or else by writing the raw chunk
 * bytes with `write_direct_chunk` and a filter mask of 0. Values come on stdin.
 */
const H5PY_SCRIPT = `
import itertools, json, sys
import numpy as np
import h5py
from h5py import h5z
spec = json.loads(sys.argv[1])
raw = sys.stdin.buffer.read()
shape, chunks = tuple(spec["shape"]), tuple(spec["chunks"])
offset = 0
with h5py.File(spec["path"], "w") as f:
    for d in spec["datasets"]:
        a = np.frombuffer(raw, dtype=d["dtype"], count=int(np.prod(shape)), offset=offset).reshape(shape)
        offset += a.nbytes
        if d["kind"] == "shuffle+gzip":
            f.create_dataset(d["name"], data=a, chunks=chunks, shuffle=True, compression="gzip",
                             compression_opts=d["opts"][0])
            continue
        try:
            import tables  # noqa: F401
        except ImportError:
            pass
        opts = tuple(d["opts"])
        if h5z.filter_avail(d["id"]):
            ds = f.create_dataset(d["name"], data=a, chunks=chunks, compression=d["id"], compression_opts=opts)
        else:
            ds = f.create_dataset(d["name"], shape=shape, dtype=a.dtype, chunks=chunks, compression=d["id"],
                                  compression_opts=opts, allow_unknown_filter=True)
            for start in itertools.product(*(range(0, n, c) for n, c in zip(shape, chunks))):
                block = np.zeros(chunks, a.dtype)
                part = a[tuple(slice(s, s + c) for s, c in zip(start, chunks))]
                block[tuple(slice(0, n) for n in part.shape)] = part
                ds.id.write_direct_chunk(start, block.tobytes(), 0)
        f.flush()
        masks = [ds.id.get_chunk_info(i).filter_mask for i in range(ds.id.get_num_chunks())]
        if any(masks):
            sys.exit(f"{d['name']}: chunks stored without the filter, masks {masks}")
`;

/** Runs {@link H5PY_SCRIPT} for `specs`, writing `path`. */
async function writeWithH5py(path: string, specs: FilterSpec[], kind: string): Promise<void> {
  const values = specs.map((s) => valuesFor(s.dtype));
  const arg = JSON.stringify({
    path,
    shape: SHAPE,
    chunks: CHUNKS,
    datasets: specs.map((s) => ({ name: s.name, kind, id: s.id, opts: s.opts, dtype: s.dtype })),
  });
  const child = new Deno.Command(PYTHON, {
    args: ["-c", H5PY_SCRIPT, arg],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  for (const v of values) await w.write(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  await w.close();
  const res = await child.output();
  if (!res.success) {
    throw new Error(`${PYTHON} (h5py) writing ${path}: ${new TextDecoder().decode(res.stderr)}`);
  }
}

/**
 * Writes the `shuffle_gzip` dataset (HDF5 shuffle then deflate level 4, the
 * two-filter pipeline h5wasm cannot create) with h5py into a new file at
 * `path`, then reopens it with h5wasm and checks filters and values.
 *
 * @returns the expected values per dataset name.
 */
export async function writeShuffleGzipFixture(
  path: string,
): Promise<Record<string, FilterDataset>> {
  const specs = FILTERS.filter((s) => s.writer === "h5py" && s.filter === "shuffle+gzip");
  await writeWithH5py(path, specs, "shuffle+gzip");
  await installFilterPlugins();
  const g = new h5wasm.File(path, "r");
  try {
    return Object.fromEntries(specs.map((s) => [s.name, verify(g, s, valuesFor(s.dtype))]));
  } finally {
    g.close();
  }
}

/**
 * Writes a new file at `path` with one dataset, `lzo` ({@link FILTERS}): float
 * {@link floatValues} in LZO (HDF5 filter 305) chunks, a filter no h5wasm
 * plugin provides. h5wasm cannot write it (its filters are mandatory, and
 * H5Dcreate refuses a mandatory filter it does not have), so h5py does, with
 * the filter optional and every chunk marked as filtered. With PyTables
 * installed the chunks are real LZO (pipeline name "lzo"); without, they are
 * the raw bytes and the name is empty. Then checks that h5wasm lists the
 * filter and that reading the values throws {@link LZO_READ_ERROR}.
 */
export async function writeLzoFixture(path: string): Promise<void> {
  const specs = FILTERS.filter((s) => s.name === "lzo");
  await writeWithH5py(path, specs, "unavailable");
  await installFilterPlugins();
  const g = new h5wasm.File(path, "r");
  try {
    const d = dataset(g, "lzo");
    const [filter] = d.filters as H5Filter[];
    if (d.filters.length !== 1 || filter.id !== 305 || filter.cd_values.join() !== "5,11,4") {
      throw new Error(`lzo: filters ${JSON.stringify(d.filters)}`);
    }
    let read: unknown;
    try {
      read = d.value;
    } catch (e) {
      if (LZO_READ_ERROR.test(String(e))) return;
      throw e;
    }
    throw new Error(`lzo: h5wasm read it (${String(read).slice(0, 40)}...), want an error`);
  } finally {
    g.close();
  }
}
