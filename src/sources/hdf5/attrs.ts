/**
 * HDF5 attributes as model attributes, decoded from HDF5's bytes by our own
 * type mapping so that 64-bit integers, enums and compounds keep their exact
 * values. An attribute that cannot be mapped is dropped alone, with a warning.
 */
import type { Dataset as H5Dataset, Group as H5Group } from "h5wasm/node";
import { product } from "../../model/grid.ts";
import { fixedText, nested } from "../../model/elements.ts";
import type { Attributes, AttrValue } from "../../model/types.ts";
import { type H5Module, hdf5Reason } from "./module.ts";
import { mapType } from "./type_map.ts";

// Dimension-scale and netCDF-4 bookkeeping, never shown to users. CLASS and
// NAME are bookkeeping only on dimension scales; _FillValue becomes fill_value.
const BOOKKEEPING = new Set([
  "_Netcdf4Dimid",
  "_Netcdf4Coordinates",
  "_NCProperties",
  "_nc3_strict",
  "_IsNetcdf4",
  "_SuperblockVersion",
  "DIMENSION_LIST",
  "REFERENCE_LIST",
  "DIMENSION_LABELS",
  "_FillValue",
]);
const SCALE_BOOKKEEPING = new Set(["CLASS", "NAME"]);

/** The names of `obj`'s attributes; [] (with a warning) when they cannot be listed. */
export function attributeNames(
  m: H5Module,
  obj: H5Group | H5Dataset,
  warn: (message: string) => void,
): string[] {
  try {
    return m.get_attribute_names(obj.file_id, obj.path);
  } catch (e) {
    warn(`${obj.path}: attributes left out: ${hdf5Reason(e)}`);
    return [];
  }
}

/** One attribute's value when it maps, else undefined (for bookkeeping lookups). */
export function plainValue(
  m: H5Module,
  obj: H5Group | H5Dataset,
  name: string,
): AttrValue | undefined {
  const got = attributeValue(m, obj, name);
  return "value" in got ? got.value : undefined;
}

/** Whether attribute `name` is bookkeeping on an object that is (or is not) a dimension scale. */
export function isBookkeeping(name: string, isScale: boolean): boolean {
  return BOOKKEEPING.has(name) || (isScale && SCALE_BOOKKEEPING.has(name));
}

/** Reads an attribute's bytes as stored in the file (for what h5wasm cannot convert). */
export type StoredAttributeReader = (
  obj: H5Group | H5Dataset,
  name: string,
  nbytes: number,
) => Promise<Uint8Array | string>;

/** An attribute whose value must be read from the file: its size, and how to decode it. */
interface FromFile {
  nbytes: number;
  decode(raw: Uint8Array): AttrValue;
}

/**
 * One attribute's value in model terms (with its model bytes, for fixed-size
 * types), or why it has none, or how to read it from the file.
 */
export function attributeValue(
  m: H5Module,
  obj: H5Group | H5Dataset,
  name: string,
):
  | { value: AttrValue; bytes?: Uint8Array; float?: boolean }
  | { reason: string }
  | { fromFile: FromFile } {
  const { file_id: fileId, path } = obj;
  let meta;
  try {
    meta = m.get_attribute_metadata(fileId, path, name);
  } catch (e) {
    return { reason: hdf5Reason(e) };
  }
  if (!meta.shape) return { value: null }; // a null dataspace: h5py's Empty
  const mapped = mapType(meta);
  if (typeof mapped === "string") return { reason: mapped };
  const shape = meta.shape;
  const scalar = shape.length === 0 || (shape.length === 1 && shape[0] === 1);
  const n = product(shape);
  const full = scalar ? mapped.extraShape : [...shape, ...mapped.extraShape];
  const decode = (bytes: Uint8Array) =>
    nested(mapped.dtype, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, full);
  if (mapped.unconvertible) {
    const swap = mapped.convert(true);
    return { fromFile: { nbytes: n * meta.size, decode: (raw) => decode(swap?.(raw, n) ?? raw) } };
  }
  try {
    if (mapped.dtype.kind === "string") {
      const list = vlenStrings(m, fileId, path, name, n);
      return { value: scalar ? list[0] : reshape(list, shape) };
    }
    const nbytes = n * meta.size;
    const ptr = m._malloc(Math.max(nbytes, 1));
    let raw: Uint8Array;
    try {
      m.get_attribute_data(fileId, path, name, BigInt(ptr));
      raw = m.HEAPU8.slice(ptr, ptr + nbytes);
    } finally {
      m._free(ptr);
    }
    const bytes = mapped.convert(!mapped.swappedByHdf5)?.(raw, n) ?? raw;
    const float = mapped.dtype.kind === "float";
    return { value: decode(bytes), bytes, float }; // the bytes too: text decoding is not reversible
  } catch (e) {
    return { reason: hdf5Reason(e) };
  }
}

/** A vlen string attribute's values: HDF5 hands over C string pointers, reclaimed after. */
function vlenStrings(m: H5Module, fileId: bigint, path: string, name: string, n: number): string[] {
  const ptr = m._malloc(Math.max(n * 4, 4));
  try {
    m.get_attribute_data(fileId, path, name, BigInt(ptr));
    const pointers = new Uint32Array(m.HEAPU8.slice(ptr, ptr + n * 4).buffer);
    const out = Array.from(pointers, (p) => {
      if (p === 0) return "";
      let end = p;
      while (m.HEAPU8[end] !== 0) end++;
      return fixedText(m.HEAPU8.subarray(p, end));
    });
    m.reclaim_vlen_memory(fileId, path, name, BigInt(ptr));
    return out;
  } finally {
    m._free(ptr);
  }
}

function reshape(list: AttrValue[], shape: readonly number[]): AttrValue {
  if (shape.length <= 1) return list;
  const inner = product(shape.slice(1));
  return Array.from(
    { length: shape[0] },
    (_, i) => reshape(list.slice(i * inner, (i + 1) * inner), shape.slice(1)),
  );
}

/** A node's attributes, and which of them hold floats. */
export interface ReadAttributes {
  attrs: Attributes;
  floatAttrs: string[];
}

/**
 * The user-visible attributes of `obj`. Bookkeeping is hidden; each attribute
 * that cannot be mapped is named through `warn`. Values h5wasm cannot convert
 * are read from the file by `stored`, and filled in when `pending` settles.
 */
export function readAttributes(
  m: H5Module,
  obj: H5Group | H5Dataset,
  names: readonly string[],
  isScale: boolean,
  warn: (message: string) => void,
  stored?: { read: StoredAttributeReader; pending: Promise<void>[] },
): ReadAttributes {
  const path = obj.path;
  const out: Attributes = {};
  const floatAttrs: string[] = [];
  for (const name of names) {
    if (isBookkeeping(name, isScale)) continue;
    const got = attributeValue(m, obj, name);
    if ("value" in got) {
      out[name] = got.value;
      if (got.float) floatAttrs.push(name);
    } else if ("reason" in got) warn(`${path}: attribute "${name}" left out: ${got.reason}`);
    else if (!stored) warn(`${path}: attribute "${name}" left out: HDF5 cannot convert it`);
    else {
      const { nbytes, decode } = got.fromFile;
      out[name] = null; // keeps the attribute order; filled in below
      stored.pending.push(
        stored.read(obj, name, nbytes).then((raw) => {
          if (typeof raw !== "string") out[name] = decode(raw);
          else {
            delete out[name];
            warn(`${path}: attribute "${name}" left out: a big-endian enum ${raw}`);
          }
        }, (e) => {
          delete out[name];
          warn(`${path}: attribute "${name}" left out: ${(e as Error).message}`);
        }),
      );
    }
  }
  return { attrs: out, floatAttrs };
}
