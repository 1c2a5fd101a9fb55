/**
 * HDF5 and netCDF-4 files as datasets, read lazily through h5wasm's node build
 * (it reads from disk on demand; nothing is copied into memory up front).
 * Whatever cannot be served exactly is left out with a warning in words;
 * only a file whose root cannot be read is refused.
 */
import h5wasm, { BrokenSoftLink, ExternalLink, type Group as H5Group } from "h5wasm/node";
import { basename, extname, resolve } from "node:path";
import { type Dataset, type GroupNode, type Node, UnavailableError } from "../../model/types.ts";
import type { DimensionProbe } from "../probe.ts";
import { statVersion, versionedReader } from "../version.ts";
import { objectAddress, readArray } from "./array.ts";
import { attributeNames, plainValue, readAttributes } from "./attrs.ts";
import type { Context } from "./context.ts";
import { dimensionPlanner, displayName, isScale } from "./dims.ts";
import { type FileReader, readSuperblock } from "./file_bytes.ts";
import { checkHdf5File } from "./file_check.ts";
import { closeHandle, fileHandle, type H5Module, h5Module, hdf5Reason } from "./module.ts";
import { storedAttribute } from "./object_header.ts";

/** Options for opening one HDF5 file. */
export interface Hdf5Options {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk when splitting contiguous datasets. */
  chunkBytes?: number;
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
