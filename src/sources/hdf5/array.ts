/**
 * One HDF5 dataset as a model array: its type, dims, attributes, fill value,
 * and how its chunks are read (h5wasm, our own stored-bytes readers, or
 * stored chunks passed through).
 */
import type { Dataset as H5Dataset, Group as H5Group } from "h5wasm/node";
import { autoChunks, itemSize } from "../../model/grid.ts";
import type { ArrayNode, Attributes, DataType, FillValue } from "../../model/types.ts";
import { attributeNames, attributeValue, plainValue, readAttributes } from "./attrs.ts";
import type { Context } from "./context.ts";
import { displayName, isScale } from "./dims.ts";
import { filterName, missingFilters, storedCodecs } from "./filters.ts";
import { chunkReader } from "../../model/region.ts";
import { h5RegionReader, nativeFirst, storedRegionModel } from "./readers.ts";
import { storedChunks, type StoredDataset, storedRegionReader } from "./stored_chunks.ts";
import { enumMembers, H5T, mapType } from "./type_map.ts";

const NC_DIM_ONLY = "This is a netCDF dimension but not a netCDF variable";

/** Whether netCDF-C 4.10 reads a dataset of this type as a variable (then its dims count). */
function netcdfReadable(meta: H5Dataset["metadata"]): boolean {
  // any size: netCDF-C even lists 128-bit floats (as strings). 4.10 (today's xarray) also
  // reads enums, compounds and vlen sequences, which 4.9 (Debian 12) skipped.
  const readable: number[] = [H5T.STRING, H5T.INTEGER, H5T.FLOAT, H5T.ENUM, H5T.COMPOUND, H5T.VLEN];
  return readable.includes(meta.type);
}

export function readArray(
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
  const { attrs, floatAttrs } = readAttributes(ctx.m, ds, attrNames, scale, ctx.warn, ctx.stored);
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
    url: ctx.url,
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
      { handle: ctx.handle, verify: ctx.verify },
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
    floatAttrs,
    fillValue,
    readChunk: stored
      ? nativeFirst(stored, decodeChunk, dtype, shape, chunks, fillValue)
      : decodeChunk,
    readRegion,
    stored,
  };
}

/** The object header address: an HDF5 object reference holds it, little-endian. */
export function objectAddress(ds: H5Dataset | H5Group): number {
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
  // A fixed string's fill is its bytes as stored: its text may be a latin-1 reading.
  if (dtype.kind === "bytes") return got.bytes ? got.bytes.slice(0, dtype.size) : null;
  const v = got.value;
  const fill = toFill(dtype, Array.isArray(v) && v.length === 1 ? v[0] : v);
  // A fill the type cannot hold (1.5 on integers) would make xarray mask the wrong values.
  if ((dtype.kind === "int" || dtype.kind === "uint") && !fitsInteger(fill, dtype)) {
    ctx.warn(
      `${path}: _FillValue left out: ${String(fill)} is not a ${dtype.kind}${dtype.size * 8}`,
    );
    return null;
  }
  return fill;
}

function fitsInteger(v: FillValue, dtype: { kind: "int" | "uint"; size: number }): boolean {
  if (typeof v !== "bigint" && !(typeof v === "number" && Number.isInteger(v))) return false;
  const x = BigInt(v);
  const bits = BigInt(dtype.size * 8);
  return dtype.kind === "uint"
    ? x >= 0n && x < 1n << bits
    : x >= -(1n << (bits - 1n)) && x < 1n << (bits - 1n);
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
    default:
      return null;
  }
}
