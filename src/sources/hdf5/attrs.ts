/**
 * HDF5 attributes as model attributes, decoded from HDF5's bytes by our own
 * type mapping so that 64-bit integers, enums and compounds keep their exact
 * values. An attribute that cannot be mapped is dropped alone, with a warning.
 */
import type { Dataset as H5Dataset, Group as H5Group } from "h5wasm/node";
import { product } from "../../model/grid.ts";
import { nested } from "../../model/elements.ts";
import type { Attributes, AttrValue } from "../../model/types.ts";
import { type H5Module, hdf5Reason } from "./module.ts";
import { mapType } from "./types.ts";

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

/** Whether attribute `name` is bookkeeping on an object that is (or is not) a dimension scale. */
export function isBookkeeping(name: string, isScale: boolean): boolean {
  return BOOKKEEPING.has(name) || (isScale && SCALE_BOOKKEEPING.has(name));
}

/** One attribute's value in model terms, or why it has none. */
export function attributeValue(
  m: H5Module,
  obj: H5Group | H5Dataset,
  name: string,
): { value: AttrValue } | { reason: string } {
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
  if (mapped.unconvertible) return { reason: "a big-endian enum, which HDF5 cannot convert" };
  const shape = meta.shape;
  const scalar = shape.length === 0 || (shape.length === 1 && shape[0] === 1);
  try {
    if (mapped.dtype.kind === "string") {
      const value = obj.attrs[name].value;
      const list = (Array.isArray(value) ? value : [value]).map((s) => String(s ?? ""));
      return { value: scalar ? list[0] : reshape(list, shape) };
    }
    const n = product(shape);
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
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const full = scalar ? mapped.extraShape : [...shape, ...mapped.extraShape];
    return { value: nested(mapped.dtype, view, 0, full) };
  } catch (e) {
    return { reason: hdf5Reason(e) };
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

/**
 * The user-visible attributes of `obj`. Bookkeeping is hidden;
 * each attribute that cannot be mapped is named through `warn`.
 */
export function readAttributes(
  m: H5Module,
  obj: H5Group | H5Dataset,
  isScale: boolean,
  warn: (message: string) => void,
): Attributes {
  const path = obj.path;
  const out: Attributes = {};
  let names: string[];
  try {
    names = m.get_attribute_names(obj.file_id, path);
  } catch (e) {
    warn(`${path}: attributes left out: ${hdf5Reason(e)}`);
    return out;
  }
  for (const name of names) {
    if (isBookkeeping(name, isScale)) continue;
    const got = attributeValue(m, obj, name);
    if ("reason" in got) warn(`${path}: attribute "${name}" left out: ${got.reason}`);
    else out[name] = got.value;
  }
  return out;
}
