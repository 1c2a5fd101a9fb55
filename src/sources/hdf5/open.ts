/**
 * HDF5 and netCDF-4 files as datasets, read lazily through h5wasm's node build
 * (it reads from disk on demand; nothing is copied into memory up front).
 * Whatever cannot be served exactly is left out with a warning in words;
 * only a file whose root cannot be read is refused.
 */
import h5wasm, {
  BrokenSoftLink,
  type Dataset as H5Dataset,
  ExternalLink,
  type Group as H5Group,
} from "h5wasm/node";
import { basename, extname, resolve } from "node:path";
import { autoChunks, itemSize } from "../../model/grid.ts";
import {
  type ArrayNode,
  type Attributes,
  type Dataset,
  type DataType,
  type FillValue,
  type GroupNode,
  type Node,
  UnavailableError,
} from "../../model/types.ts";
import {
  attributeNames,
  attributeValue,
  plainValue,
  readAttributes,
  type StoredAttributeReader,
} from "./attrs.ts";
import { type DimensionPlanner, dimensionPlanner, displayName, isScale } from "./dims.ts";
import { type FileReader, readSuperblock } from "./file_bytes.ts";
import { storedAttribute } from "./object_header.ts";
import type { DimensionProbe } from "../probe.ts";
import { checkHdf5File } from "./file_check.ts";
import { filterName, missingFilters, storedCodecs } from "./filters.ts";
import { closeHandle, fileHandle, type H5Module, h5Module, hdf5Reason } from "./module.ts";
import { assertVersion, statVersion, versionedReader } from "../version.ts";
import { chunkReader, h5RegionReader, nativeFirst, storedRegionModel } from "./readers.ts";
import { storedChunks, type StoredDataset, storedRegionReader } from "./stored.ts";
import { enumMembers, H5T, mapType } from "./types.ts";

/** Options for opening one HDF5 file. */
export interface Hdf5Options {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk when splitting contiguous datasets. */
  chunkBytes?: number;
}

const NC_DIM_ONLY = "This is a netCDF dimension but not a netCDF variable";

interface Context {
  m: H5Module;
  warn: (message: string) => void;
  /** Names every dataset's dims once the whole file has been read. */
  dims: DimensionPlanner;
  chunkBytes: number;
  path: string;
  fileSize: number;
  /** The file's version when opened (inode, mtime, size): reads of another version fail. */
  version: string;
  /** Positional reads of the file itself, opened on first use. */
  reader: () => Promise<FileReader>;
  /** Attribute values read from the file, for h5wasm's blind spots; awaited before the dataset is ready. */
  stored: { read: StoredAttributeReader; pending: Promise<void>[] };
}

/** Opens the file's root group, or throws one line saying why it cannot be read. */
async function openRoot(
  full: string,
): Promise<{ m: H5Module; root: H5Group; stat: Deno.FileInfo; version: string }> {
  const stat = await Deno.stat(full);
  const version = statVersion(stat);
  await checkHdf5File(full);
  const m = await h5Module();
  try {
    return { m, root: fileHandle(full, version), stat, version };
  } catch (e) {
    closeHandle(full);
    if (e instanceof UnavailableError) throw e;
    throw new Error(hdf5Reason(e));
  }
}

function failure(path: string, e: unknown): Error {
  return new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * The root-group dimensions of a netCDF-4 file, from its dimension scales:
 * lengths, which are unlimited, and coordinate units. Reads metadata only.
 */
export async function probeDimensions(path: string): Promise<Map<string, DimensionProbe>> {
  try {
    const { m, root } = await openRoot(resolve(path));
    const dims = new Map<string, DimensionProbe>();
    const ids = new Map<number, string>();
    // The length each dimension id has in the variables that use it: netCDF-C never grows the
    // scale of an unlimited dimension without a coordinate variable, so it reads 0.
    const used = new Map<number, number>();
    for (const key of root.keys()) {
      const entity = root.get(key);
      if (!(entity instanceof h5wasm.Dataset)) continue;
      const names = m.get_attribute_names(entity.file_id, entity.path);
      const meta = entity.metadata;
      if (names.includes("_Netcdf4Coordinates") && meta.shape) {
        const coords = plainValue(m, entity, "_Netcdf4Coordinates");
        (Array.isArray(coords) ? coords : [coords]).forEach((id, axis) => {
          const n = meta.shape![axis] ?? 0;
          used.set(Number(id), Math.max(used.get(Number(id)) ?? 0, n));
        });
      }
      if (!isScale(m, entity, names)) continue;
      if (!meta.shape || meta.shape.length !== 1) continue;
      const max = meta.maxshape?.[0] ?? meta.shape[0];
      const units = plainValue(m, entity, "units");
      const id = names.includes("_Netcdf4Dimid")
        ? plainValue(m, entity, "_Netcdf4Dimid")
        : undefined;
      if (typeof id === "number") ids.set(id, displayName(key));
      dims.set(displayName(key), {
        length: meta.shape[0],
        unlimited: max >= 2 ** 53,
        units: typeof units === "string" ? units : undefined,
      });
    }
    for (const [id, name] of ids) {
      const d = dims.get(name)!;
      if (d.unlimited && (used.get(id) ?? 0) > d.length) {
        dims.set(name, { ...d, length: used.get(id)! });
      }
    }
    return dims;
  } catch (e) {
    throw failure(path, e);
  }
}

/** Opens an HDF5/netCDF-4 file as a dataset; throws a one-line error that names the file. */
export async function openHdf5(path: string, options: Hdf5Options = {}): Promise<Dataset> {
  const full = resolve(path);
  const name = options.name ?? basename(full, extname(full));
  try {
    const { m, root, stat, version } = await openRoot(full);
    let reader: Promise<FileReader> | undefined;
    const warnings: string[] = [];
    const ctx: Context = {
      m,
      warn: (message) => warnings.push(message),
      dims: dimensionPlanner(),
      chunkBytes: options.chunkBytes ?? 4 << 20,
      path: full,
      fileSize: stat.size,
      version,
      reader: () => (reader ??= versionedReader(full, version)),
      stored: {
        pending: [],
        read: async (obj, attr, nbytes) => {
          const file = await ctx.reader();
          const sb = await readSuperblock(file, stat.size);
          return storedAttribute(file, sb, objectAddress(obj), attr, nbytes);
        },
      },
    };
    let tree: GroupNode;
    try {
      tree = readGroup(ctx, root, "/");
      ctx.dims.finish();
      await Promise.all(ctx.stored.pending);
    } catch (e) {
      throw new Error(`the root group cannot be read: ${hdf5Reason(e)}`);
    }
    return {
      name,
      root: tree,
      version,
      source: full,
      warnings,
      async close() {
        closeHandle(full, version);
        if (reader) await (await reader).close();
      },
    };
  } catch (e) {
    throw failure(path, e);
  }
}

function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

function readGroup(ctx: Context, group: H5Group, path: string, parent?: string): GroupNode {
  ctx.dims.group(path, parent);
  const children = new Map<string, Node>();
  // netCDF-C reads a group's subgroups after its other links; dimension ids follow that order.
  const subgroups: [string, H5Group][] = [];
  for (const key of group.keys()) {
    const p = childPath(path, key);
    try {
      const entity = group.get(key);
      if (entity instanceof h5wasm.Group) subgroups.push([key, entity]);
      else if (entity instanceof h5wasm.Dataset) {
        const array = readArray(ctx, entity, path, p);
        if (array) children.set(displayName(key), array);
      } else if (entity instanceof BrokenSoftLink) {
        ctx.warn(`${p}: left out: a dangling soft link to "${entity.target}"`);
      } else if (entity instanceof ExternalLink) {
        ctx.warn(
          `${p}: left out: an external link to "${entity.filename}:${entity.obj_path}", which cannot be opened`,
        );
      } else if (!(entity instanceof h5wasm.Datatype)) {
        ctx.warn(`${p}: left out: the object cannot be read`);
      }
    } catch (e) {
      ctx.warn(`${p}: left out: ${danglingTarget(group, p) ?? hdf5Reason(e)}`);
    }
  }
  for (const [key, entity] of subgroups) {
    const p = childPath(path, key);
    try {
      children.set(key, readGroup(ctx, entity, p, path));
    } catch (e) {
      ctx.warn(`${p}: left out: ${hdf5Reason(e)}`);
    }
  }
  const attrs = readAttributes(
    ctx.m,
    group,
    attributeNames(ctx.m, group, ctx.warn),
    false,
    ctx.warn,
    ctx.stored,
  );
  return { kind: "group", attrs, children };
}

/** "a dangling soft link to ..." when `path` is a soft link HDF5 cannot follow. */
function danglingTarget(group: H5Group, path: string): string | undefined {
  try {
    const target = group.get_link(path);
    return typeof target === "string" ? `a dangling soft link to "${target}"` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether netCDF-C 4.9 reads a dataset of this type as a variable (then its dims count). */
function netcdfReadable(meta: H5Dataset["metadata"]): boolean {
  // any size: netCDF-C even lists 128-bit floats (as strings)
  return meta.type === H5T.STRING || meta.type === H5T.INTEGER || meta.type === H5T.FLOAT;
}

function readArray(
  ctx: Context,
  ds: H5Dataset,
  group: string,
  path: string,
): ArrayNode | undefined {
  const attrNames = attributeNames(ctx.m, ds, ctx.warn);
  const scale = isScale(ctx.m, ds, attrNames);
  const meta = ds.metadata;
  const mapped = meta.shape ? mapType(meta) : "an empty (null) dataspace";
  const extraShape = typeof mapped === "string" ? [] : mapped.extraShape;
  const own = displayName(path.slice(path.lastIndexOf("/") + 1));
  // Every dataset counts for dimension naming, served or not, as it does for netCDF-C.
  const attached = new Map<number, string[]>();
  const coordIds = attrNames.includes("_Netcdf4Coordinates")
    ? plainValue(ctx.m, ds, "_Netcdf4Coordinates")
    : undefined;
  const dimid = scale && attrNames.includes("_Netcdf4Dimid")
    ? plainValue(ctx.m, ds, "_Netcdf4Dimid")
    : undefined;
  const dims = ctx.dims.dataset({
    path,
    group,
    shape: meta.shape ?? [],
    // h5wasm reports H5S_UNLIMITED as 2^64-1
    maxShape: (meta.maxshape ?? meta.shape ?? []).map((n) => (n >= 2 ** 53 ? null : n)),
    scale: scale ? { dimid: typeof dimid === "number" ? dimid : undefined } : undefined,
    netcdfReadable: netcdfReadable(meta),
    coordIds: coordIds === undefined
      ? undefined
      : (Array.isArray(coordIds) ? coordIds : [coordIds]).map(Number),
    attached(i) {
      if (!attrNames.includes("DIMENSION_LIST")) return [];
      if (!attached.has(i)) {
        let scales: string[] = [];
        try {
          scales = ds.get_attached_scales(i);
        } catch { /* a broken DIMENSION_LIST: phony */ }
        attached.set(i, scales);
      }
      return attached.get(i)!;
    },
    extraDims: extraShape.map((_, i) => `${own}_dim_${i}`),
  });
  if (scale && String(plainValue(ctx.m, ds, "NAME") ?? "").startsWith(NC_DIM_ONLY)) {
    return undefined; // a netCDF dimension, not a variable
  }
  if (typeof mapped === "string") throw new Error(mapped);
  const filters = ds.filters;
  const missing = missingFilters(filters);
  if (missing.length) throw new Error(`the ${missing.map(filterName).join(", ")} is not available`);
  const { dtype } = mapped;
  const shape = [...meta.shape!, ...extraShape];
  const elem = itemSize(dtype);
  const chunks = meta.chunks
    ? [...meta.chunks, ...extraShape]
    : autoChunks(shape, elem || 64, ctx.chunkBytes);
  const attrs = readAttributes(ctx.m, ds, attrNames, scale, ctx.warn, ctx.stored);
  enumFlags(ctx, path, meta, attrs);
  const fillValue = attrNames.includes("_FillValue") ? readFill(ctx, ds, path, dtype) : null;
  const sd: StoredDataset = {
    reader: ctx.reader,
    fileSize: ctx.fileSize,
    address: objectAddress(ds),
    shape: meta.shape!,
    // h5wasm reports H5S_UNLIMITED as 2^64-1
    maxShape: (meta.maxshape ?? meta.shape!).map((n) => (n >= 2 ** 53 ? null : n)),
    elemSize: meta.size,
    codecs: [],
    label: `${ctx.path}${path}`,
  };
  const codecs = storedCodecs(filters, meta.size);
  let readRegion;
  if (mapped.unconvertible) {
    if (!codecs) {
      throw new Error(
        `a big-endian enum (which HDF5 cannot convert) stored with ${
          filters.map(filterName).join(", ")
        }`,
      );
    }
    readRegion = storedRegionModel(
      storedRegionReader({ ...sd, codecs }, meta.chunks),
      meta.shape!.length,
      mapped,
    );
  } else {readRegion = h5RegionReader(
      ctx.m,
      {
        handle: () => fileHandle(ctx.path, ctx.version),
        verify: () => assertVersion(ctx.path, ctx.version),
      },
      path,
      meta,
      mapped,
    );}
  const asStored = meta.chunks && codecs && !mapped.unconvertible && dtype.kind !== "string" &&
    !mapped.convert(true);
  const stored = asStored ? storedChunks({ ...sd, codecs }) : undefined;
  const decodeChunk = chunkReader(readRegion, dtype, shape, chunks, fillValue);
  return {
    kind: "array",
    shape,
    chunks,
    dtype,
    dims,
    attrs,
    fillValue,
    readChunk: stored
      ? nativeFirst(stored, decodeChunk, dtype, shape, chunks, fillValue)
      : decodeChunk,
    readRegion,
    stored,
  };
}

/** The object header address: an HDF5 object reference holds it, little-endian. */
function objectAddress(ds: H5Dataset | H5Group): number {
  const ref = ds.create_reference().ref_data;
  let address = 0;
  for (let i = 0; i < 8; i++) address += ref[i] * 2 ** (8 * i);
  return address;
}

/** Enum members as CF flag attributes, unless h5wasm clipped their values to 32 bits. */
function enumFlags(
  ctx: Context,
  path: string,
  meta: H5Dataset["metadata"],
  attrs: Attributes,
): void {
  const members = enumMembers(meta);
  if (!members) return;
  const base = meta.type === H5T.ARRAY ? meta.array_type! : meta;
  // h5wasm hands member values over as int32: wider values clip (or wrap), so
  // a value at the int32 limits, or a negative one of an unsigned type, is not exact.
  const doubtful = (v: number) => v === 2 ** 31 - 1 || v === -(2 ** 31) || (!base.signed && v < 0);
  if (base.size >= 4 && members.some(([, v]) => doubtful(v))) {
    ctx.warn(`${path}: flag_values left out: enum values beyond 32 bits are not reported exactly`);
    return;
  }
  attrs.flag_values ??= members.map(([, v]) => v);
  attrs.flag_meanings ??= members.map(([k]) => k.replace(/\s+/g, "_")).join(" ");
}

function readFill(ctx: Context, ds: H5Dataset, path: string, dtype: DataType): FillValue {
  const got = attributeValue(ctx.m, ds, "_FillValue");
  if (!("value" in got)) {
    ctx.warn(
      `${path}: _FillValue left out: ${"reason" in got ? got.reason : "HDF5 cannot convert it"}`,
    );
    return null;
  }
  const v = got.value;
  return toFill(dtype, Array.isArray(v) && v.length === 1 ? v[0] : v);
}

function toFill(dtype: DataType, v: unknown): FillValue {
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
