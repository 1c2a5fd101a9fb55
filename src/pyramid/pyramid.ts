/**
 * A dataset's pyramid made on request (zarr-conventions multiscales v0.1): groups "0", "1", ...,
 * level 0 the dataset's root arrays as they are, level k their horizontal axes coarsened by 2^k.
 */
import type { ArrayNode, Attributes, AttrValue, Dataset, GroupNode, Node } from "../model/types.ts";
import { arrayLevels, TILE } from "./levels.ts";
import { resamplingOf } from "./source_cells.ts";
import { hasNumbers } from "../model/cf_decode.ts";

/** The multiscales convention's registration (its v0.1 schema's constants). */
const MULTISCALES_CONVENTION = {
  uuid: "d35379db-88df-4056-af3a-620245f8e347",
  schema_url:
    "https://raw.githubusercontent.com/zarr-conventions/multiscales/refs/tags/v0.1/schema.json",
  spec_url: "https://github.com/zarr-conventions/multiscales/blob/v0.1/README.md",
  name: "multiscales",
  description: "Multiscale layout of zarr datasets",
};

const Y_NAMES = ["latitude", "projection_y_coordinate", "grid_latitude"];
const X_NAMES = ["longitude", "projection_x_coordinate", "grid_longitude"];
const Y_UNITS = ["degrees_north", "degree_north", "degree_N", "degrees_N", "degreeN", "degreesN"];
const X_UNITS = ["degrees_east", "degree_east", "degree_E", "degrees_E", "degreeE", "degreesE"];

/** The horizontal dimensions (y, x): CF coordinate variables first, else a grid's last two. */
function horizontalDims(root: GroupNode): [string, string] | null {
  const arrays = [...root.children].filter((e): e is [string, ArrayNode] => e[1].kind === "array");
  const axisOf = (name: string, a: ArrayNode): "Y" | "X" | null => {
    if (a.dims.length !== 1 || a.dims[0] !== name) return null;
    const { axis, standard_name: sn, units } = a.attrs;
    if (axis === "Y" || Y_NAMES.includes(String(sn)) || Y_UNITS.includes(String(units))) return "Y";
    if (axis === "X" || X_NAMES.includes(String(sn)) || X_UNITS.includes(String(units))) return "X";
    return null;
  };
  const y = arrays.find(([n, a]) => axisOf(n, a) === "Y")?.[0];
  const x = arrays.find(([n, a]) => axisOf(n, a) === "X")?.[0];
  const gridded = (a: ArrayNode, dy: string, dx: string) =>
    hasNumbers(a.dtype) && a.dims.includes(dy) && a.dims.includes(dx);
  if (y && x && arrays.some(([, a]) => gridded(a, y, x))) return [y, x];
  const grid = arrays.find(([, a]) => hasNumbers(a.dtype) && a.dims.length >= 2)?.[1];
  return grid ? [grid.dims.at(-2)!, grid.dims.at(-1)!] : null;
}

/** Whether `dataset` has a pyramid: its root holds a 2-D horizontal grid. */
export function hasPyramid(dataset: Dataset): boolean {
  return horizontalDims(dataset.root) !== null;
}

/** The pyramid of `dataset`, or null when its root holds no 2-D horizontal grid. */
export function pyramidOf(dataset: Dataset): Dataset | null {
  const dims = horizontalDims(dataset.root);
  if (!dims) return null;
  const arrays = [...dataset.root.children].filter((e): e is [string, ArrayNode] =>
    e[1].kind === "array"
  );
  const sizeOf = (dim: string) => {
    for (const [, a] of arrays) {
      const i = a.dims.indexOf(dim);
      if (i >= 0) return a.shape[i];
    }
    return 1;
  };
  const [ny, nx] = dims.map(sizeOf);
  let levels = 0;
  while (Math.ceil(ny / 2 ** levels) > TILE || Math.ceil(nx / 2 ** levels) > TILE) levels++;

  const groups: Map<string, Node>[] = Array.from({ length: levels + 1 }, () => new Map());
  const modes: string[] = [];
  const warnings = [...dataset.warnings];
  for (const [name, a] of arrays) {
    const axes = a.dims.flatMap((d, i) => (dims.includes(d) ? [i] : []));
    if (axes.length === 0) {
      for (const g of groups) g.set(name, a); // time, levels, ...: whole at every level
      continue;
    }
    if (!hasNumbers(a.dtype)) {
      groups[0].set(name, a);
      if (levels > 0) {
        warnings.push(`${name}: ${a.dtype.kind} values cannot be averaged: level 0 only`);
      }
      continue;
    }
    if (resamplingOf(a) === "mode") modes.push(name);
    arrayLevels(a, axes, levels).forEach((level, k) => groups[k].set(name, level));
  }
  const attrs: Attributes = {
    ...dataset.root.attrs,
    zarr_conventions: [MULTISCALES_CONVENTION],
    multiscales: multiscalesAttr(levels, modes),
  };
  // Groups of the root are not coarsened (only its arrays make levels): said, not silent.
  for (const [name, n] of dataset.root.children) {
    if (n.kind === "group") warnings.push(`${name}/: groups are not in the pyramid`);
  }
  const levelGroup = (children: Map<string, Node>): GroupNode => ({
    kind: "group",
    attrs: dataset.root.attrs,
    floatAttrs: dataset.root.floatAttrs,
    children,
  });
  const children = new Map<string, Node>(groups.map((g, k) => [String(k), levelGroup(g)]));
  return {
    ...dataset,
    root: { kind: "group", attrs, floatAttrs: dataset.root.floatAttrs, children },
    warnings,
    version: `${dataset.version}+pyramid`,
    close: undefined, // the dataset's own owner closes it
  };
}

function multiscalesAttr(levels: number, modes: string[]): AttrValue {
  const layout: AttrValue[] = [{
    asset: "0",
    transform: { scale: [1.0, 1.0], translation: [0.0, 0.0] },
  }];
  for (let k = 1; k <= levels; k++) {
    layout.push({
      asset: String(k),
      derived_from: String(k - 1),
      transform: { scale: [2 ** k, 2 ** k], translation: [0.0, 0.0] },
      resampling_method: "average",
      // Categories (flag values, integer masks) take the most frequent value instead.
      ...(modes.length ? { "zarrflask:mode": modes } : {}),
    });
  }
  return { layout, resampling_method: "average" };
}
