/**
 * Dimension names: netCDF-4 dimension ids and attached dimension scales, and
 * for plain HDF5 the phony names netCDF-C gives (so that `xr.open_dataset`
 * on the file and `xr.open_zarr` on the store agree).
 */
import h5wasm, { type Dataset as H5Dataset, type Group as H5Group } from "h5wasm/node";
import { plainValue } from "./attrs.ts";
import type { H5Module } from "./module.ts";

const NON_COORD_PREFIX = "_nc4_non_coord_";

/** A variable's name as netCDF shows it (netCDF-C hides its non-coordinate prefix). */
export function displayName(key: string): string {
  return key.startsWith(NON_COORD_PREFIX) ? key.slice(NON_COORD_PREFIX.length) : key;
}

/** Whether a dataset with attributes `names` is a dimension scale (CLASS = "DIMENSION_SCALE"). */
export function isScale(m: H5Module, ds: H5Dataset | H5Group, names: readonly string[]): boolean {
  return names.includes("CLASS") && plainValue(m, ds, "CLASS") === "DIMENSION_SCALE";
}

function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** netCDF-4 dimension ids to names, from `_Netcdf4Dimid` on dimension scales. */
export function netcdfDimIds(
  m: H5Module,
  group: H5Group,
  path = "/",
  out: Map<number, string> = new Map(),
): Map<number, string> {
  for (const key of group.keys()) {
    let entity;
    try {
      entity = group.get(key);
    } catch {
      continue;
    }
    if (entity instanceof h5wasm.Group) netcdfDimIds(m, entity, childPath(path, key), out);
    if (!(entity instanceof h5wasm.Dataset)) continue;
    let names: string[];
    try {
      names = m.get_attribute_names(entity.file_id, entity.path);
    } catch {
      continue;
    }
    // netCDF-C writes _Netcdf4Dimid on every variable; only a scale's names a dimension.
    if (!names.includes("_Netcdf4Dimid") || !isScale(m, entity, names)) continue;
    const id = plainValue(m, entity, "_Netcdf4Dimid");
    if (typeof id === "number") out.set(id, displayName(key));
  }
  return out;
}

/** Phony dimensions of one group: lengths in order of creation. */
export type PhonyDims = number[];

/** The dims of a dataset of `shape` at `path`, whose attributes are `attrNames`. */
export function dimensionNames(
  m: H5Module,
  attrNames: readonly string[],
  dimIds: () => Map<number, string>,
  ds: H5Dataset,
  path: string,
  shape: readonly number[],
  scale: boolean,
  phony: PhonyDims,
): string[] {
  if (attrNames.includes("_Netcdf4Coordinates")) {
    const ids = plainValue(m, ds, "_Netcdf4Coordinates");
    const names = (Array.isArray(ids) ? ids : [ids]).map((id) => dimIds().get(Number(id)));
    if (names.length === shape.length && names.every((n) => n !== undefined)) {
      return names as string[];
    }
  }
  const attached = attrNames.includes("DIMENSION_LIST");
  const own = displayName(path.slice(path.lastIndexOf("/") + 1));
  const dims: (string | undefined)[] = shape.map((_, i) => {
    if (scale && i === 0) return own;
    if (!attached) return undefined;
    try {
      const scales = ds.get_attached_scales(i);
      if (scales.length) return displayName(scales[0].slice(scales[0].lastIndexOf("/") + 1));
    } catch { /* a broken DIMENSION_LIST: phony */ }
    return undefined;
  });
  // Plain HDF5: phony dims, shared within a group by length, never repeated within one variable.
  const used = new Set<number>();
  return dims.map((d, i) => {
    if (d !== undefined) return d;
    let k = phony.findIndex((len, j) => len === shape[i] && !used.has(j));
    if (k < 0) k = phony.push(shape[i]) - 1;
    used.add(k);
    return `phony_dim_${k}`;
  });
}
