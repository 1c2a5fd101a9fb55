/**
 * Dimension names: netCDF-4 dimension ids and attached dimension scales, and
 * for plain HDF5 the phony names netCDF-C gives (so that `xr.open_dataset`
 * on the file and `xr.open_zarr` on the store agree).
 */
import h5wasm, { type Dataset as H5Dataset, type Group as H5Group } from "h5wasm/node";

const NON_COORD_PREFIX = "_nc4_non_coord_";

/** A variable's name as netCDF shows it (netCDF-C hides its non-coordinate prefix). */
export function displayName(key: string): string {
  return key.startsWith(NON_COORD_PREFIX) ? key.slice(NON_COORD_PREFIX.length) : key;
}

/** The first element of a length-1 array, else the value. */
export function scalar(v: unknown): unknown {
  if (v !== null && typeof v === "object" && "length" in v) {
    const a = v as ArrayLike<unknown>;
    return a.length === 1 ? a[0] : v;
  }
  return v;
}

/** Whether a dataset is a dimension scale (CLASS = "DIMENSION_SCALE"). */
export function isScale(ds: H5Dataset | H5Group): boolean {
  try {
    return "CLASS" in ds.attrs && scalar(ds.attrs["CLASS"].value) === "DIMENSION_SCALE";
  } catch {
    return false;
  }
}

function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** netCDF-4 dimension ids to names, from `_Netcdf4Dimid` on dimension scales. */
export function netcdfDimIds(
  group: H5Group,
  path = "/",
  out = new Map<number, string>(),
): Map<number, string> {
  for (const key of group.keys()) {
    let entity;
    try {
      entity = group.get(key);
    } catch {
      continue;
    }
    if (entity instanceof h5wasm.Group) netcdfDimIds(entity, childPath(path, key), out);
    else if (
      // netCDF-C writes _Netcdf4Dimid on every variable; only a scale's names a dimension.
      entity instanceof h5wasm.Dataset && "_Netcdf4Dimid" in entity.attrs && isScale(entity)
    ) {
      try {
        out.set(Number(scalar(entity.attrs["_Netcdf4Dimid"].value)), displayName(key));
      } catch { /* unreadable id: the scale's own name still applies */ }
    }
  }
  return out;
}

/** Phony dimensions of one group: lengths in order of creation. */
export type PhonyDims = number[];

/** The dims of a dataset of `shape` at `path`. */
export function dimensionNames(
  dimIds: Map<number, string>,
  ds: H5Dataset,
  path: string,
  shape: readonly number[],
  scale: boolean,
  phony: PhonyDims,
): string[] {
  try {
    const coordIds = ds.attrs["_Netcdf4Coordinates"]?.value;
    if (coordIds && typeof coordIds === "object" && "length" in coordIds) {
      const names = Array.from(
        coordIds as ArrayLike<number | bigint>,
        (id) => dimIds.get(Number(id)),
      );
      if (names.length === shape.length && names.every((n) => n !== undefined)) {
        return names as string[];
      }
    }
  } catch { /* fall back to scales */ }
  const own = displayName(path.slice(path.lastIndexOf("/") + 1));
  const dims: (string | undefined)[] = shape.map((_, i) => {
    if (scale && i === 0) return own;
    try {
      const scales = ds.get_attached_scales(i);
      if (scales.length) return displayName(scales[0].slice(scales[0].lastIndexOf("/") + 1));
    } catch { /* no DIMENSION_LIST: plain HDF5 */ }
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
