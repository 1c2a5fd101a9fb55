/**
 * HDF5 and netCDF-4 files as datasets, read lazily through h5wasm's node build
 * (it reads from disk on demand; nothing is copied into memory up front).
 * Whatever cannot be served exactly is left out with a warning in words;
 * only a file whose root cannot be read is refused.
 */
import type {
  BrokenSoftLink,
  Dataset as H5Dataset,
  ExternalLink,
  Group as H5Group,
} from "h5wasm/node";
import { basename, extname, resolve } from "node:path";
import type { Dataset, GroupNode, Node } from "../../model/types.ts";
import type { DimensionProbe } from "../probe.ts";
import { VersionChangedError } from "../bytes/version.ts";
import type { SourceOptions } from "../bytes/source_for.ts";
import { isRemote, locationBase } from "../bytes/source.ts";
import type { OpenedFile } from "../bytes/opened.ts";
import { displayUrl } from "../bytes/http.ts";
import { objectAddress, readArray } from "./array.ts";
import { attributeNames, plainValue, readAttributes } from "./attrs.ts";
import type { Context } from "./context.ts";
import { dimensionPlanner, displayName, isScale } from "./dims.ts";
import { readSuperblock } from "./superblock.ts";
import { hdf5Reason } from "./module.ts";
import { storedAttribute } from "./object_header.ts";
import { openAny, type Opened } from "./hdf5_file.ts";

/** Options for opening one HDF5 file. */
export interface Hdf5Options {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk when splitting contiguous datasets. */
  chunkBytes?: number;
  /** How remote files are reached (default: the process-wide settings). */
  remote?: SourceOptions;
}

function failure(path: string, e: unknown): Error {
  if (e instanceof VersionChangedError) return e; // replaced while opening: open it again
  return new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * The root-group dimensions of a netCDF-4 file, from its dimension scales:
 * lengths, which are unlimited, and coordinate units. Reads metadata only.
 */
export async function probeDimensions(
  location: string | OpenedFile,
  remote?: SourceOptions,
): Promise<Map<string, DimensionProbe>> {
  const path = typeof location === "string" ? location : location.source.name;
  let file: Opened | undefined;
  try {
    file = await openAny(location, remote);
    const { m, root } = file;
    const dims = new Map<string, DimensionProbe>();
    const ids = new Map<number, string>();
    // The length each dimension id has in the variables that use it: netCDF-C never grows the
    // scale of an unlimited dimension without a coordinate variable, so it reads 0.
    const used = new Map<number, number>();
    for (const key of root.keys()) {
      const found = root.get(key);
      if (kindOf(found) !== "Dataset") continue;
      const entity = found as H5Dataset;
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
  } finally {
    await file?.closeReader(); // metadata only: our reader goes, h5wasm's shared handle stays
  }
}

/**
 * Opens an HDF5/netCDF-4 file (a path, an http(s):// or s3:// URL) as a dataset; throws a
 * one-line error that names the file.
 */
export async function openHdf5(
  location: string | OpenedFile,
  options: Hdf5Options = {},
): Promise<Dataset> {
  const path = typeof location === "string" ? location : location.source.path ??
    location.source.name;
  const base = isRemote(path) ? locationBase(path) : resolve(path);
  const name = options.name ?? basename(base, extname(base));
  try {
    const file = await openAny(location, options.remote);
    const warnings: string[] = [];
    const ctx: Context = {
      m: file.m,
      warn: (message) => warnings.push(message),
      dims: dimensionPlanner(),
      chunkBytes: options.chunkBytes ?? 4 << 20,
      path: file.name,
      url: file.url,
      fileSize: file.size,
      version: file.version,
      handle: file.handle,
      verify: file.verify,
      reader: file.reader,
      stored: {
        pending: [],
        read: async (obj, attr, nbytes) => {
          const r = await ctx.reader();
          const sb = await readSuperblock(r, file.size);
          return storedAttribute(r, sb, objectAddress(obj), attr, nbytes);
        },
      },
    };
    let tree: GroupNode;
    try {
      tree = readGroup(ctx, file.root, "/");
      ctx.dims.finish();
      await Promise.all(ctx.stored.pending);
    } catch (e) {
      file.verify();
      throw new Error(`the root group cannot be read: ${hdf5Reason(e)}`);
    }
    return {
      name,
      root: tree,
      version: file.version,
      source: file.name,
      warnings,
      close: () => file.close(),
    };
  } catch (e) {
    throw failure(typeof location === "string" && isRemote(path) ? displayUrl(path) : path, e);
  }
}

/** An h5wasm entity's kind ("Group", "Dataset", ...), the same for both of h5wasm's builds. */
function kindOf(entity: unknown): string | undefined {
  return (entity as { type?: string } | null)?.type;
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
      const kind = kindOf(entity);
      if (kind === "Group") subgroups.push([key, entity as H5Group]);
      else if (kind === "Dataset") {
        const array = readArray(ctx, entity as H5Dataset, path, p);
        if (array) children.set(displayName(key), array);
      } else if (kind === "BrokenSoftLink") {
        ctx.warn(`${p}: left out: a dangling soft link to "${(entity as BrokenSoftLink).target}"`);
      } else if (kind === "ExternalLink") {
        ctx.warn(
          `${p}: left out: an external link to "${(entity as ExternalLink).filename}:${
            (entity as ExternalLink).obj_path
          }", which cannot be opened`,
        );
      } else if (kind !== "Datatype") {
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
  const { attrs, floatAttrs } = readAttributes(
    ctx.m,
    group,
    attributeNames(ctx.m, group, ctx.warn),
    false,
    ctx.warn,
    ctx.stored,
  );
  return { kind: "group", attrs, floatAttrs, children };
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
