/**
 * Dimension names as netCDF-C (4.10, what today's xarray's default engine links)
 * gives them, so that `xr.open_dataset(file)` and `xr.open_zarr(url)` agree:
 * netCDF-4 dimension ids, attached dimension scales, and for plain HDF5
 * `phony_dim_N` numbered across the whole file.
 *
 * netCDF-C reads a file in two passes. Pass 1 (pre-order; a group's
 * subgroups after its other links) gives every dimension scale its id. Pass 2
 * (post-order: subgroups first) names each variable's axes: from the scales
 * attached to it, else the first dimension of its own group with the same
 * length and unlimited flag that the variable has not used yet, else a new
 * `phony_dim_{next id}`. Datasets netCDF-C cannot read (bitfields, opaque,
 * references, array types) take no id; we serve some, so they are named last,
 * in a third pass.
 */
import type { Dataset as H5Dataset, Group as H5Group } from "h5wasm/node";
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

/** One dimension of a group. */
interface Dim {
  name: string;
  length: number;
  unlimited: boolean;
  /** The path of the scale that made it. */
  scale?: string;
}

/** What the planner needs of one dataset, gathered in pass 1. */
export interface DatasetInfo {
  /** The dataset's path (its link name is the last part). */
  path: string;
  /** The path of its group. */
  group: string;
  shape: readonly number[];
  /** Maximum dims; null for unlimited. */
  maxShape: readonly (number | null)[];
  /** A dimension scale, and its `_Netcdf4Dimid` if netCDF-C wrote one. */
  scale?: { dimid?: number };
  /** Whether netCDF-C 4.9 reads it as a variable (integer, float and string types). */
  netcdfReadable: boolean;
  /** netCDF-4 dimension ids of its axes (`_Netcdf4Coordinates`). */
  coordIds?: number[];
  /** The paths of the scales attached to axis `i`, in the order attached. */
  attached(i: number): string[];
  /** Names of trailing axes the dataset's element type adds (array types). */
  extraDims?: string[];
}

interface Variable {
  info: DatasetInfo;
  dims: string[];
}

/** Names every dataset's axes after the whole file has been seen. */
export interface DimensionPlanner {
  /** Pass 1: a group, before its datasets (its parent already added). */
  group(path: string, parent: string | undefined): void;
  /** Pass 1: a dataset; the returned array is filled by `finish`. */
  dataset(info: DatasetInfo): string[];
  /** Passes 2 and 3. */
  finish(): void;
}

/** A planner for one file. */
export function dimensionPlanner(): DimensionPlanner {
  let next = 0;
  const dims = new Map<string, Dim[]>();
  const vars = new Map<string, Variable[]>();
  const later = new Map<string, Variable[]>();
  const children = new Map<string, string[]>();
  const parents = new Map<string, string | undefined>();
  const unlimited = (length: number, max: number | null) => max === null || length === 0;
  const byId = new Map<number, string>();
  const own = (path: string) => displayName(path.slice(path.lastIndexOf("/") + 1));

  function phony(group: string, v: Variable): void {
    const used: Dim[] = [];
    const list = dims.get(group)!;
    v.info.shape.forEach((length, d) => {
      const u = v.info.maxShape[d] === null;
      let dim = list.find((x) => x.length === length && x.unlimited === u && !used.includes(x));
      if (!dim) {
        dim = {
          name: `phony_dim_${next++}`,
          length,
          unlimited: unlimited(length, v.info.maxShape[d]),
        };
        list.push(dim);
      }
      used.push(dim);
    });
    v.dims.push(...used.map((x) => x.name));
  }

  function fromScales(group: string, v: Variable): boolean {
    if (v.info.attached(0).length === 0) return false; // netCDF-C only looks at axis 0
    v.dims.push(...v.info.shape.map((_, d) => {
      const s = v.info.attached(d).at(-1); // the last attached wins
      for (let g: string | undefined = group; g !== undefined; g = parents.get(g)) {
        const hit = dims.get(g)!.find((x) => x.scale !== undefined && x.scale === s);
        if (hit) return hit.name;
      }
      // netCDF-C cannot open such a file; the scale's own name is the best guess
      return s ? own(s) : `phony_dim_${next++}`;
    }));
    return true;
  }

  function name(group: string, v: Variable): void {
    const { info } = v;
    const known = info.coordIds?.map((id) => byId.get(id));
    if (known?.length === info.shape.length && known.every((n) => n !== undefined)) {
      v.dims.push(...known as string[]);
    } else if (info.scale && info.shape.length === 1) v.dims.push(own(info.path));
    else if (info.shape.length > 0 && !fromScales(group, v)) phony(group, v);
    v.dims.push(...info.extraDims ?? []);
  }

  function pass2(group: string): void {
    for (const c of children.get(group) ?? []) pass2(c);
    for (const v of vars.get(group) ?? []) name(group, v);
  }

  return {
    group(path, parent) {
      dims.set(path, []);
      vars.set(path, []);
      later.set(path, []);
      children.set(path, []);
      parents.set(path, parent);
      if (parent !== undefined) children.get(parent)!.push(path);
    },
    dataset(info) {
      const v: Variable = { info, dims: [] };
      if (info.scale) {
        const id = info.scale.dimid;
        next = id !== undefined ? Math.max(next, id + 1) : next + 1;
        if (id !== undefined) byId.set(id, own(info.path));
        const length = info.shape[0] ?? 0;
        dims.get(info.group)!.push({
          name: own(info.path),
          length,
          unlimited: unlimited(length, info.maxShape[0] ?? length),
          scale: info.path,
        });
      }
      (info.netcdfReadable ? vars : later).get(info.group)!.push(v);
      return v.dims;
    },
    finish() {
      pass2("/");
      // Datasets netCDF-C does not read take names after all of its own, so they never shift them.
      for (const [group, list] of later) for (const v of list) name(group, v);
    },
  };
}
