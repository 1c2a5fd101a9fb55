/**
 * Many netCDF/HDF5 files as one dataset, concatenated lazily along one
 * dimension (as `xarray.open_mfdataset(..., combine="nested", concat_dim=...)`
 * with `data_vars="minimal"`). Only the first file's structure and each
 * file's length along the dimension are read when opening.
 */
import { basename, extname, resolve } from "node:path";
import { chunkRegion, copyBlock, itemSize, padChunk, product } from "../../model/grid.ts";
import { findNode } from "../../model/tree.ts";
import type { ArrayNode, ChunkData, Dataset, GroupNode, Node } from "../../model/types.ts";
import { fillElementBytes } from "../../model/values.ts";
import { openFile, probeFile } from "../files.ts";
import type { SourceOptions } from "../bytes/source_for.ts";

/** How to aggregate files. */
export interface AggregateOptions {
  /** The store name; default: the first file's name without its extension. */
  name?: string;
  /** The dimension to concatenate along; default: the first file's unlimited dimension. */
  concat?: string;
  /** Called as files are probed, with how many are done. */
  onProgress?: (done: number, total: number) => void;
  /** How remote files are reached (headers, S3 settings). */
  remote?: SourceOptions;
}

interface Part {
  path: string;
  /** Where this file starts along the concatenated dimension. */
  offset: number;
  length: number;
}

/** Aggregates `files` (in the order given) into one dataset; throws naming the file at fault. */
export async function aggregate(files: string[], options: AggregateOptions = {}): Promise<Dataset> {
  if (files.length === 0) throw new Error("aggregate: no files");
  const paths = files.map((f) => resolve(f));
  const first = await openFile(paths[0], { name: options.name, remote: options.remote });
  const probes = await probeFile(paths[0], options.remote);
  const dim = options.concat ?? [...probes].find(([, p]) => p.unlimited)?.[0];
  if (!dim) {
    throw new Error(`${files[0]}: no unlimited dimension; name the one to concatenate along`);
  }
  const firstProbe = probes.get(dim);
  if (!firstProbe) throw new Error(`${files[0]}: no dimension "${dim}"`);
  const parts: Part[] = [{ path: paths[0], offset: 0, length: firstProbe.length }];
  let total = firstProbe.length;
  for (let i = 1; i < paths.length; i++) {
    const dims = await probeFile(paths[i], options.remote);
    const probe = dims.get(dim);
    if (!probe) throw new Error(`${files[i]}: no dimension "${dim}"`);
    for (const [name, p] of probes) {
      const other = dims.get(name);
      if (name !== dim && other && other.length !== p.length) {
        throw new Error(
          `${files[i]}: dimension "${name}" has length ${other.length}, but ${
            files[0]
          } has ${p.length}`,
        );
      }
    }
    if (probe.units !== firstProbe.units) {
      throw new Error(
        `${files[i]}: "${dim}" has units "${probe.units}", but ${
          files[0]
        } has "${firstProbe.units}"`,
      );
    }
    parts.push({ path: paths[i], offset: total, length: probe.length });
    total += probe.length;
    options.onProgress?.(i + 1, paths.length);
  }
  // Each file's own model is opened when one of its chunks is first needed.
  const opened = new Map<string, Promise<Dataset>>([[paths[0], Promise.resolve(first)]]);
  const fileModel = (path: string) => {
    let p = opened.get(path);
    if (!p) {
      p = openFile(path, { remote: options.remote });
      opened.set(path, p);
    }
    return p;
  };
  const stats = await Promise.all(paths.map((p) => Deno.stat(p)));
  const version = stats.map((s) => `${s.mtime?.getTime() ?? 0}-${s.size}`).join("|");
  return {
    name: options.name ?? basename(paths[0], extname(paths[0])),
    root: concatGroup(first.root, "", dim, total, parts, fileModel),
    version: `agg-${hashText(version)}`,
    source: `${files.length} files along "${dim}": ${files[0]} ... ${files[files.length - 1]}`,
    warnings: first.warnings,
  };
}

function hashText(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

function concatGroup(
  group: GroupNode,
  path: string,
  dim: string,
  total: number,
  parts: Part[],
  fileModel: (path: string) => Promise<Dataset>,
): GroupNode {
  const children = new Map<string, Node>();
  for (const [name, node] of group.children) {
    const p = path ? `${path}/${name}` : name;
    if (node.kind === "group") {
      children.set(name, concatGroup(node, p, dim, total, parts, fileModel));
    } else if (node.dims.includes(dim)) {
      children.set(name, concatArray(node, p, dim, total, parts, fileModel));
    } else children.set(name, node); // from the first file
  }
  return { ...group, children };
}

function concatArray(
  first: ArrayNode,
  path: string,
  dim: string,
  total: number,
  parts: Part[],
  fileModel: (path: string) => Promise<Dataset>,
): ArrayNode {
  const axis = first.dims.indexOf(dim);
  const shape = first.shape.map((n, i) => (i === axis ? total : n));
  const elem = itemSize(first.dtype);
  const isString = first.dtype.kind === "string";

  async function partArray(part: Part): Promise<ArrayNode> {
    const node = findNode((await fileModel(part.path)).root, path);
    if (node?.kind !== "array" || node.dims.join() !== first.dims.join()) {
      throw new Error(`${part.path}: "${path}" is missing or has other dimensions`);
    }
    if (node.shape.some((n, i) => i !== axis && n !== first.shape[i])) {
      throw new Error(
        `${part.path}: "${path}" has shape ${node.shape}; the first file's is ${first.shape}`,
      );
    }
    if (node.shape[axis] !== part.length) {
      throw new Error(
        `${part.path}: "${path}" has ${
          node.shape[axis]
        } steps along the dimension, not ${part.length}`,
      );
    }
    if (JSON.stringify(node.dtype) !== JSON.stringify(first.dtype)) {
      throw new Error(`${part.path}: "${path}" has another data type than the first file`);
    }
    if (!node.readRegion) throw new Error(`${part.path}: "${path}" cannot be read by region`);
    return node;
  }

  async function readRegion(start: readonly number[], count: readonly number[]) {
    const n = product(count);
    const out: ChunkData = isString ? new Array<string>(n).fill("") : new Uint8Array(n * elem);
    const lo = start[axis], hi = start[axis] + count[axis];
    for (const part of parts) {
      const a = Math.max(lo, part.offset), b = Math.min(hi, part.offset + part.length);
      if (a >= b) continue;
      const node = await partArray(part);
      const s = start.map((x, i) => (i === axis ? a - part.offset : x));
      const c = count.map((x, i) => (i === axis ? b - a : x));
      const piece = await node.readRegion!(s, c);
      const at = count.map((_, i) => (i === axis ? a - lo : 0));
      if (Array.isArray(out)) copyBlock(piece as string[], c, out, count, at, 1);
      else copyBlock(piece as Uint8Array, c, out, count, at, elem);
    }
    return out;
  }

  const fill: ChunkData = isString
    ? [typeof first.fillValue === "string" ? first.fillValue : ""]
    : fillElementBytes(first.dtype, first.fillValue);
  return {
    kind: "array",
    shape,
    chunks: first.chunks,
    dtype: first.dtype,
    dims: first.dims,
    attrs: first.attrs,
    floatAttrs: first.floatAttrs,
    fillValue: first.fillValue,
    readRegion,
    async readChunk(coords) {
      const { start, count } = chunkRegion(shape, first.chunks, coords);
      const data = await readRegion(start, count);
      return Array.isArray(data)
        ? padChunk(data, count, first.chunks, fill as string[], 1)
        : padChunk(data, count, first.chunks, fill as Uint8Array, elem);
    },
  };
}
