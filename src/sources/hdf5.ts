/**
 * HDF5 and netCDF-4 files as datasets, read lazily through h5wasm's node build
 * (it reads from disk on demand; nothing is copied into memory up front).
 */
import h5wasm, {
  type Dataset as H5Dataset,
  type Group as H5Group,
  type Metadata,
} from "h5wasm/node";
import { basename, extname, resolve } from "node:path";
import {
  autoChunks,
  chunkRegion,
  extractBlock,
  itemSize,
  padChunk,
  product,
} from "../model/grid.ts";
import { decodeStored } from "../model/stored.ts";
import type {
  ArrayNode,
  Attributes,
  AttrValue,
  ChunkData,
  Dataset,
  DataType,
  FillValue,
  GroupNode,
  Node,
  StoredChunks,
  StoredCodec,
} from "../model/types.ts";
import { fillElementBytes } from "../model/values.ts";
import { type ChunkIndex, type FileReader, fileReader, readChunkIndex } from "./hdf5_index.ts";

/** Options for opening one HDF5 file. */
export interface Hdf5Options {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk when splitting contiguous datasets. */
  chunkBytes?: number;
}

// Bookkeeping of netCDF-4 and HDF5 dimension scales: never shown to users.
const HIDDEN_ATTRS = new Set([
  "_Netcdf4Dimid",
  "_Netcdf4Coordinates",
  "_NCProperties",
  "_nc3_strict",
  "_IsNetcdf4",
  "_SuperblockVersion",
  "DIMENSION_LIST",
  "REFERENCE_LIST",
  "DIMENSION_LABELS",
  "CLASS",
  "NAME",
  "_FillValue",
]);
const NC_DIM_ONLY = "This is a netCDF dimension but not a netCDF variable";
const NON_COORD_PREFIX = "_nc4_non_coord_";
// Filters compiled into h5wasm's libhdf5: deflate, shuffle, fletcher32, nbit, scaleoffset.
const BUILTIN_FILTERS = new Set([1, 2, 3, 5, 6]);
const FILTER = { deflate: 1, shuffle: 2, blosc: 32001, zstd: 32015 };
const BLOSC_CNAMES = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, COMPOUND: 6, ENUM: 8 };

type H5Module = Awaited<typeof h5wasm.ready>;
let modulePromise: Promise<H5Module> | undefined;

/** h5wasm, ready and set to throw on HDF5 errors (so no read can return stale data). */
export function h5Module(): Promise<H5Module> {
  modulePromise ??= h5wasm.ready.then((m) => {
    m.activate_throwing_error_handler();
    return m;
  });
  return modulePromise;
}

type H5File = InstanceType<typeof h5wasm.File>;
const MAX_OPEN_FILES = 64;
const openFiles = new Map<string, H5File>();

/**
 * An open h5wasm handle for `path`, from a small LRU: aggregations of
 * thousands of files must not hold thousands of HDF5 handles (and their
 * caches) in a wasm heap capped at 2 GiB.
 */
export function fileHandle(path: string): H5File {
  let f = openFiles.get(path);
  if (f) {
    openFiles.delete(path);
  } else {
    f = new h5wasm.File(path, "r");
    for (const [p, old] of openFiles) {
      if (openFiles.size < MAX_OPEN_FILES) break;
      openFiles.delete(p);
      old.close();
    }
  }
  openFiles.set(path, f);
  return f;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Throws a clear error unless `path` is a readable file holding an HDF5 signature. */
async function checkSignature(path: string): Promise<void> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    const buf = new Uint8Array(8);
    let first = "";
    // The superblock sits at 0, 512, 1024, 2048, ... (a user block may precede it).
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      await file.seek(at, Deno.SeekMode.Start);
      const n = await file.read(buf);
      if (at === 0) first = String.fromCharCode(...buf.subarray(0, 3));
      if (n === 8 && SIGNATURE.every((b, i) => buf[i] === b)) return;
    }
    if (first === "CDF") {
      throw new Error("a netCDF-3 (classic) file: only netCDF-4/HDF5 files are served");
    }
    throw new Error("not an HDF5/netCDF-4 file (no HDF5 signature)");
  } finally {
    file.close();
  }
}

/** What a file says about one of its dimensions, read without touching any data. */
export interface DimensionProbe {
  length: number;
  unlimited: boolean;
  /** The `units` of its coordinate variable, if any. */
  units?: string;
}

/**
 * The root-group dimensions of a netCDF-4 file, from its dimension scales:
 * lengths, which are unlimited, and coordinate units. Reads metadata only.
 */
export async function probeDimensions(path: string): Promise<Map<string, DimensionProbe>> {
  const full = resolve(path);
  try {
    await checkSignature(full);
    await h5Module();
    const file = fileHandle(full);
    const dims = new Map<string, DimensionProbe>();
    for (const key of file.keys()) {
      const entity = file.get(key);
      if (!(entity instanceof h5wasm.Dataset)) continue;
      if (scalar(entity.attrs["CLASS"]?.value) !== "DIMENSION_SCALE") continue;
      const meta = entity.metadata;
      if (!meta.shape || meta.shape.length !== 1) continue;
      const max = meta.maxshape?.[0] ?? meta.shape[0];
      const units = entity.attrs["units"] ? scalar(entity.attrs["units"].value) : undefined;
      dims.set(displayName(key), {
        length: meta.shape[0],
        unlimited: max >= 2 ** 53,
        units: typeof units === "string" ? units : undefined,
      });
    }
    return dims;
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Opens an HDF5/netCDF-4 file as a dataset; throws an error that names the file. */
export async function openHdf5(path: string, options: Hdf5Options = {}): Promise<Dataset> {
  const full = resolve(path);
  const name = options.name ?? basename(full, extname(full));
  try {
    await checkSignature(full);
    const stat = await Deno.stat(full);
    const m = await h5Module();
    const file = fileHandle(full);
    let reader: Promise<FileReader> | undefined;
    const ctx: Context = {
      m,
      warnings: [],
      dimNames: new Map(),
      chunkBytes: options.chunkBytes ?? 4 << 20,
      path: full,
      fileSize: stat.size,
      reader: () => (reader ??= fileReader(full)),
    };
    collectDimIds(ctx, file, "/");
    const root = readGroup(ctx, file, "/");
    return {
      name,
      root,
      version: `${stat.mtime?.getTime() ?? 0}-${stat.size}`,
      source: full,
      warnings: ctx.warnings,
    };
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface Context {
  m: H5Module;
  warnings: string[];
  /** netCDF-4 dimension ids to names, from `_Netcdf4Dimid` on dimension scales. */
  dimNames: Map<number, string>;
  chunkBytes: number;
  path: string;
  fileSize: number;
  /** Positional reads of the file itself, opened on first use. */
  reader: () => Promise<FileReader>;
}

function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

function collectDimIds(ctx: Context, group: H5Group, path: string): void {
  for (const key of group.keys()) {
    const p = childPath(path, key);
    const entity = group.get(key);
    if (entity instanceof h5wasm.Group) collectDimIds(ctx, entity, p);
    else if (
      // netCDF-C writes _Netcdf4Dimid on every variable; only a scale's names a dimension.
      entity instanceof h5wasm.Dataset && "_Netcdf4Dimid" in entity.attrs &&
      scalar(entity.attrs["CLASS"]?.value) === "DIMENSION_SCALE"
    ) {
      const id = Number(scalar(entity.attrs["_Netcdf4Dimid"].value));
      ctx.dimNames.set(id, displayName(key));
    }
  }
}

function displayName(key: string): string {
  return key.startsWith(NON_COORD_PREFIX) ? key.slice(NON_COORD_PREFIX.length) : key;
}

function readGroup(ctx: Context, group: H5Group, path: string): GroupNode {
  const children = new Map<string, Node>();
  const phony: number[] = [];
  for (const key of group.keys()) {
    const p = childPath(path, key);
    let entity;
    try {
      entity = group.get(key);
    } catch (e) {
      ctx.warnings.push(`${p}: left out: ${(e as Error).message}`);
      continue;
    }
    if (entity instanceof h5wasm.Group) {
      children.set(key, readGroup(ctx, entity, p));
    } else if (entity instanceof h5wasm.Dataset) {
      try {
        const array = readArray(ctx, entity, p, phony);
        if (array) children.set(displayName(key), array);
      } catch (e) {
        ctx.warnings.push(`${p}: left out: ${(e as Error).message}`);
      }
    }
  }
  return { kind: "group", attrs: readAttrs(group), children };
}

/** Maps h5wasm type metadata to a model type, or explains why it cannot. */
export function modelType(meta: Metadata): DataType | string {
  switch (meta.type) {
    case H5T.INTEGER:
      if (![1, 2, 4, 8].includes(meta.size)) return `${meta.size}-byte integers`;
      return { kind: meta.signed ? "int" : "uint", size: meta.size as 1 | 2 | 4 | 8 };
    case H5T.FLOAT:
      if (![2, 4, 8].includes(meta.size)) return `${meta.size}-byte floats`;
      return { kind: "float", size: meta.size as 2 | 4 | 8 };
    case H5T.STRING:
      return meta.vlen ? { kind: "string" } : { kind: "bytes", size: meta.size };
    case H5T.ENUM: {
      const members = meta.enum_type?.members ?? {};
      const names = Object.keys(members).sort().join(",");
      if (meta.size === 1 && names === "FALSE,TRUE" && members.FALSE === 0 && members.TRUE === 1) {
        return { kind: "bool" };
      }
      return { kind: meta.signed ? "int" : "uint", size: meta.size as 1 | 2 | 4 | 8 };
    }
    case H5T.COMPOUND: {
      const members = meta.compound_type?.members ?? [];
      const numeric = (m: Metadata) => m.type === H5T.INTEGER || m.type === H5T.FLOAT;
      if (members.some((m) => numeric(m) && !m.littleEndian && m.size > 1)) {
        return "big-endian compound members";
      }
      const [r, i] = members;
      if (
        members.length === 2 && r.name === "r" && i.name === "i" && r.type === H5T.FLOAT &&
        i.type === H5T.FLOAT && r.size === i.size && (r.size === 4 || r.size === 8)
      ) {
        return { kind: "complex", size: (r.size * 2) as 8 | 16 };
      }
      const fields = [];
      for (const m of members) {
        const t = modelType(m);
        if (typeof t === "string") return `compound member "${m.name}": ${t}`;
        if (t.kind === "string") return `compound member "${m.name}": variable-length string`;
        fields.push({ name: m.name, type: t });
      }
      return { kind: "struct", fields };
    }
    default:
      return `HDF5 type class ${meta.type}`;
  }
}

function readArray(
  ctx: Context,
  ds: H5Dataset,
  path: string,
  phony: number[],
): ArrayNode | undefined {
  const attrs = ds.attrs;
  const nameAttr = attrs["NAME"] ? String(scalar(attrs["NAME"].value)) : "";
  if (nameAttr.startsWith(NC_DIM_ONLY)) return undefined; // a netCDF dimension, not a variable
  const meta = ds.metadata;
  if (!meta.shape) throw new Error("null dataspace (no shape)");
  const dtype = modelType(meta);
  if (typeof dtype === "string") throw new Error(`unsupported type: ${dtype}`);
  const storedCodecs = passThroughCodecs(ds, meta, dtype);
  const unknown = ds.filters.filter((f) => !BUILTIN_FILTERS.has(f.id));
  if (unknown.length && !storedCodecs) {
    throw new Error(
      `compression filter ${unknown.map((f) => `${f.name || "?"} (id ${f.id})`).join(", ")} ` +
        "is not available",
    );
  }
  const shape = meta.shape;
  const isScale = attrs["CLASS"] && scalar(attrs["CLASS"].value) === "DIMENSION_SCALE";
  const dims = dimensionNames(ctx, ds, path, shape, Boolean(isScale), phony);
  const elem = itemSize(dtype);
  const chunks = meta.chunks ?? autoChunks(shape, elem || 64, ctx.chunkBytes);
  const userAttrs = readAttrs(ds);
  if (meta.type === H5T.ENUM && dtype.kind !== "bool") {
    const members = Object.entries(meta.enum_type?.members ?? {}).sort((a, b) => a[1] - b[1]);
    userAttrs.flag_values ??= members.map(([, v]) => v);
    userAttrs.flag_meanings ??= members.map(([k]) => k.replace(/\s+/g, "_")).join(" ");
  }
  const fillValue = attrs["_FillValue"] ? toFill(dtype, attrs["_FillValue"].value) : null;
  const readRegion = regionReader(ctx, path, meta, dtype, shape);
  const stored = storedCodecs ? storedChunks(ctx, ds, path, meta, elem, storedCodecs) : undefined;
  const decodeChunk = chunkReader(readRegion, dtype, shape, chunks, fillValue);
  return {
    kind: "array",
    shape,
    chunks,
    dtype,
    dims,
    attrs: userAttrs,
    fillValue,
    readChunk: stored
      ? nativeFirst(stored, decodeChunk, dtype, shape, chunks, fillValue)
      : decodeChunk,
    readRegion,
    stored,
  };
}

/**
 * The Zarr codecs equal to this dataset's HDF5 filter pipeline, when its
 * stored chunks can be served untouched; undefined otherwise.
 */
function passThroughCodecs(
  ds: H5Dataset,
  meta: Metadata,
  dtype: DataType,
): StoredCodec[] | undefined {
  if (!meta.chunks || meta.chunks.length === 0) return undefined;
  const kind = dtype.kind;
  if (kind === "string" || kind === "struct") return undefined;
  const size = itemSize(dtype);
  const members = meta.compound_type?.members ?? [];
  const little = kind === "bytes" || size === 1 ||
    (kind === "complex" ? members.every((m) => m.littleEndian) : meta.littleEndian);
  if (!little) return undefined;
  const codecs: StoredCodec[] = [];
  for (const f of ds.filters) {
    const cd = f.cd_values;
    if (f.id === FILTER.shuffle) codecs.push({ id: "shuffle", elementSize: size });
    else if (f.id === FILTER.deflate) codecs.push({ id: "zlib", level: cd[0] ?? 6 });
    else if (f.id === FILTER.zstd) codecs.push({ id: "zstd", level: cd[0] ?? 3 });
    else if (f.id === FILTER.blosc && cd.length >= 7 && BLOSC_CNAMES[cd[6]]) {
      codecs.push({
        id: "blosc",
        cname: BLOSC_CNAMES[cd[6]],
        clevel: cd[4],
        shuffle: cd[5],
        typesize: cd[2] || size,
      });
    } else return undefined; // fletcher32, szip, nbit, scaleoffset, lzf, ...: decode instead
  }
  return codecs;
}

/** Stored chunks read straight from the file through the dataset's chunk index. */
function storedChunks(
  ctx: Context,
  ds: H5Dataset,
  path: string,
  meta: Metadata,
  elemSize: number,
  codecs: StoredCodec[],
): StoredChunks {
  const ref = ds.create_reference().ref_data;
  let address = 0; // an HDF5 object reference is the object header's address, little-endian
  for (let i = 0; i < 8; i++) address += ref[i] * 2 ** (8 * i);
  let index: Promise<ChunkIndex | string> | undefined;
  const filtered = ds.filters.length > 0;
  async function locate(coords: readonly number[]) {
    const reader = await ctx.reader();
    index ??= readChunkIndex(
      reader,
      ctx.fileSize,
      address,
      meta.shape!,
      // h5wasm reports H5S_UNLIMITED as 2^64-1
      (meta.maxshape ?? meta.shape!).map((m) => (m >= 2 ** 53 ? null : m)),
      elemSize,
      filtered,
    ).then((i) => {
      if (typeof i === "string") console.error(`${ctx.path}${path}: decoding chunks: ${i}`);
      return i;
    }, (e) => {
      console.error(`${ctx.path}${path}: decoding chunks: ${(e as Error).message}`);
      return (e as Error).message;
    });
    const idx = await index;
    if (typeof idx === "string") return null;
    const loc = idx.lookup(coords);
    // unwritten chunks and chunks that skipped a filter are encoded from decoded values
    if (!loc || loc.filterMask !== 0) return null;
    return { reader, loc };
  }
  return {
    codecs,
    async read(coords) {
      const found = await locate(coords);
      return found && await found.reader.read(found.loc.offset, found.loc.size);
    },
    async open(coords) {
      const found = await locate(coords);
      if (!found) return null;
      const { reader, loc } = found;
      return {
        size: loc.size,
        read: (offset, length) => reader.read(loc.offset + offset, length),
      };
    },
  };
}

function dimensionNames(
  ctx: Context,
  ds: H5Dataset,
  path: string,
  shape: number[],
  isScale: boolean,
  phony: number[],
): string[] {
  const coordIds = ds.attrs["_Netcdf4Coordinates"]?.value;
  if (coordIds && typeof coordIds === "object" && "length" in coordIds) {
    const names = Array.from(
      coordIds as ArrayLike<number | bigint>,
      (id) => ctx.dimNames.get(Number(id)),
    );
    if (names.length === shape.length && names.every((n) => n !== undefined)) {
      return names as string[];
    }
  }
  const own = displayName(path.slice(path.lastIndexOf("/") + 1));
  const dims: (string | undefined)[] = shape.map((_, i) => {
    if (isScale && i === 0) return own;
    try {
      const scales = ds.get_attached_scales(i);
      if (scales.length) return displayName(scales[0].slice(scales[0].lastIndexOf("/") + 1));
    } catch { /* no DIMENSION_LIST: plain HDF5 */ }
    return undefined;
  });
  // Plain HDF5: h5netcdf-style phony dims, shared within a group by length,
  // never repeated within one variable.
  const used = new Set<number>();
  return dims.map((d, i) => {
    if (d !== undefined) return d;
    let k = phony.findIndex((len, j) => len === shape[i] && !used.has(j));
    if (k < 0) k = phony.push(shape[i]) - 1;
    used.add(k);
    return `phony_dim_${k}`;
  });
}

function scalar(v: unknown): unknown {
  if (v !== null && typeof v === "object" && "length" in v) {
    const a = v as ArrayLike<unknown>;
    return a.length === 1 ? a[0] : v;
  }
  return v;
}

function attrValue(v: unknown): AttrValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const items = Array.from(v as ArrayLike<unknown>, attrValue);
    if (items.some((x) => x === undefined)) return undefined;
    return items as AttrValue[];
  }
  return undefined; // references and other objects have no JSON form
}

function readAttrs(obj: H5Group | H5Dataset): Attributes {
  const out: Attributes = {};
  for (const [name, attr] of Object.entries(obj.attrs)) {
    if (HIDDEN_ATTRS.has(name)) continue;
    let value: AttrValue | undefined;
    try {
      value = attrValue(attr.value);
    } catch {
      continue; // unreadable attribute types are skipped, not fatal
    }
    if (value === undefined) continue;
    // netCDF stores scalars as length-1 arrays; xarray shows them as scalars.
    out[name] = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
  return out;
}

function toFill(dtype: DataType, raw: unknown): FillValue {
  const v = scalar(raw);
  switch (dtype.kind) {
    case "bool":
      return Boolean(v);
    case "int":
    case "uint":
      return typeof v === "bigint" ? v : Number(v);
    case "float":
      return Number(v);
    case "string":
      return typeof v === "string" ? v : null;
    case "bytes":
      return typeof v === "string" ? new TextEncoder().encode(v) : null;
    default:
      return null;
  }
}

/** Reads any block of a dataset, unpadded, in C order (h5wasm hyperslab reads). */
function regionReader(
  ctx: Context,
  path: string,
  meta: Metadata,
  dtype: DataType,
  shape: number[],
): (start: readonly number[], count: readonly number[]) => ChunkData {
  if (dtype.kind === "string") {
    return (start, count) => {
      const ds = fileHandle(ctx.path).get(path) as H5Dataset;
      if (shape.length === 0) return [String(ds.value ?? "")];
      const values = ds.slice(start.map((s, i) => [s, s + count[i]])) as string[];
      return values.map((s) => s ?? "");
    };
  }
  const { m } = ctx;
  const repack = structRepacker(meta, dtype);
  return (start, count) => {
    const n = product(count);
    const nbytes = n * meta.size;
    if (nbytes === 0) return new Uint8Array(0);
    const ptr = m._malloc(nbytes);
    if (!ptr) throw new Error(`out of wasm memory reading ${nbytes} bytes of ${path}`);
    let raw: Uint8Array;
    try {
      const id = fileHandle(ctx.path).file_id;
      const big = (xs: readonly number[]) => xs.map(BigInt);
      if (shape.length === 0) m.get_dataset_data(id, path, null, null, null, BigInt(ptr));
      else {
        m.get_dataset_data(id, path, big(count), big(start), big(count.map(() => 1)), BigInt(ptr));
      }
      raw = m.HEAPU8.slice(ptr, ptr + nbytes);
    } finally {
      m._free(ptr);
    }
    return repack ? repack(raw, n) : raw;
  };
}

/** Reads one chunk: its region, padded with the fill value at the array's edges. */
function chunkReader(
  read: (start: readonly number[], count: readonly number[]) => ChunkData,
  dtype: DataType,
  shape: number[],
  chunks: readonly number[],
  fillValue: FillValue,
): (coords: readonly number[]) => ChunkData {
  const elem = itemSize(dtype);
  const fill: ChunkData = dtype.kind === "string"
    ? [typeof fillValue === "string" ? fillValue : ""]
    : fillElementBytes(dtype, fillValue);
  return (coords) => {
    const { start, count } = chunkRegion(shape, chunks, coords);
    const data = read(start, count);
    return Array.isArray(data)
      ? padChunk(data, count, chunks, fill as string[], 1)
      : padChunk(data, count, chunks, fill as Uint8Array, elem);
  };
}

/**
 * Decoded chunks from the stored bytes through native codecs (about twice as
 * fast as h5wasm's wasm filters), falling back to h5wasm for anything else.
 * Edge chunks are re-padded so the padding is our fill value, not HDF5's.
 */
function nativeFirst(
  stored: StoredChunks,
  decodeChunk: (coords: readonly number[]) => ChunkData,
  dtype: DataType,
  shape: number[],
  chunks: readonly number[],
  fillValue: FillValue,
): (coords: readonly number[]) => Promise<ChunkData> {
  const elem = itemSize(dtype);
  const length = product(chunks) * elem;
  const fill = fillElementBytes(dtype, fillValue);
  return async (coords) => {
    const bytes = await stored.read(coords);
    const raw = bytes && await decodeStored(stored.codecs, bytes).catch(() => null);
    if (!raw || raw.length !== length) return decodeChunk(coords);
    const { count } = chunkRegion(shape, chunks, coords);
    if (count.every((c, i) => c === chunks[i])) return raw;
    const inside = extractBlock(raw, chunks, chunks.map(() => 0), count, elem);
    return padChunk(inside, count, chunks, fill, elem);
  };
}

/** For compounds whose in-file layout has gaps, a function that packs fields tightly. */
function structRepacker(
  meta: Metadata,
  dtype: DataType,
): ((raw: Uint8Array, n: number) => Uint8Array) | undefined {
  if (dtype.kind !== "struct") return undefined;
  const members = meta.compound_type?.members ?? [];
  const packed = itemSize(dtype);
  let at = 0;
  const moves = members.map((mb) => {
    const move = { from: mb.offset, to: at, size: mb.size };
    at += mb.size;
    return move;
  });
  if (packed === meta.size && moves.every((mv) => mv.from === mv.to)) return undefined;
  return (raw, n) => {
    const out = new Uint8Array(n * packed);
    for (let e = 0; e < n; e++) {
      for (const mv of moves) {
        out.set(
          raw.subarray(e * meta.size + mv.from, e * meta.size + mv.from + mv.size),
          e * packed + mv.to,
        );
      }
    }
    return out;
  };
}
