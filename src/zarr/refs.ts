/**
 * kerchunk (version 1) references of a store whose chunks pass through: each chunk key maps to
 * [url, offset, length] of its stored bytes (small variables that are not chunked in the file,
 * and unwritten chunks, inline as served), and each metadata key to its document.
 * A client with its own access to the files reads the same values without this server.
 */
import { gridShape, itemSize, product, unravel } from "../model/grid.ts";
import { walk } from "../model/tree.ts";
import type { ArrayNode } from "../model/types.ts";
import { passesThrough } from "./pipeline.ts";
import type { Store } from "./store.ts";
import { base64 } from "./dtype.ts";
import type { NonFinite } from "./json.ts";
import type { DocStyle } from "./style.ts";

/** A store that cannot be described by references, and why. */
export class NoReferencesError extends Error {
  /** Names the error in logs. */
  override name = "NoReferencesError";
}

const made = new WeakMap<Store, Map<NonFinite, Promise<string>>>();

/** Decoded bytes of a variable that may be written inline into the references. */
export const INLINE_BYTES = 1 << 20;

async function inlineRefs(
  store: Store,
  array: ArrayNode,
  prefix: string,
  refs: Record<string, unknown>,
): Promise<void> {
  const grid = gridShape(array.shape, array.chunks);
  const n = array.shape.length === 0 ? 1 : product(grid);
  for (let i = 0; i < n; i++) {
    const coords = array.shape.length === 0 ? [] : unravel(i, grid);
    await inlineChunk(store, `${prefix}${coords.length ? coords.join(".") : "0"}`, refs);
  }
}

/** Writes the chunk `key` as this store serves it, inline; a missing chunk is left out. */
async function inlineChunk(
  store: Store,
  key: string,
  refs: Record<string, unknown>,
): Promise<void> {
  const r = await store.get(key);
  if (r.kind === "chunk") refs[key] = `base64:${base64(r.body)}`;
  else if (r.kind === "invalid") throw new Error(`${key}: ${r.message}`);
}

/**
 * The references document of `store`, its inner documents spelling NaN as `nonFinite` says
 * (made once per store, that is per file version, and spelling).
 */
export function kerchunkRefs(store: Store, nonFinite: NonFinite = "strings"): Promise<string> {
  let docs = made.get(store);
  if (!docs) made.set(store, docs = new Map());
  let doc = docs.get(nonFinite);
  if (!doc) {
    doc = build(store, { formats: "v2", nonFinite });
    docs.set(nonFinite, doc);
    doc.catch(() => docs.delete(nonFinite));
  }
  return doc;
}

async function text(store: Store, key: string, style: DocStyle): Promise<string> {
  const r = await store.get(key, style);
  if (r.kind !== "json") throw new Error(`${key}: not a document`);
  return new TextDecoder().decode(r.body);
}

async function build(store: Store, style: DocStyle): Promise<string> {
  const refs: Record<string, unknown> = {};
  const mode = store.options.passthrough ?? "auto";
  refs[".zmetadata"] = await text(store, ".zmetadata", style);
  for (const [path, node] of walk(store.dataset.root)) {
    const prefix = path ? `${path}/` : "";
    if (node.kind === "group") {
      refs[`${prefix}.zgroup`] = await text(store, `${prefix}.zgroup`, style);
      refs[`${prefix}.zattrs`] = await text(store, `${prefix}.zattrs`, style);
      continue;
    }
    refs[`${prefix}.zarray`] = await text(store, `${prefix}.zarray`, style);
    refs[`${prefix}.zattrs`] = await text(store, `${prefix}.zattrs`, style);
    const stored = node.stored;
    if (stored?.locate && stored.url && passesThrough(node, mode)) {
      await chunkRefs(store, node, prefix, stored.url, stored.locate.bind(stored), refs);
    } else if (product(node.shape) * itemSize(node.dtype) <= INLINE_BYTES) {
      // Small variables that are not stored as chunks (netCDF's contiguous coordinates):
      // their chunks as this store serves them, inline.
      await inlineRefs(store, node, prefix, refs);
    } else {
      throw new NoReferencesError(
        `"${path}" is not served as its stored bytes, and is too large to inline ` +
          `(${product(node.shape) * itemSize(node.dtype)} bytes; at most ${INLINE_BYTES})`,
      );
    }
  }
  return JSON.stringify({ version: 1, refs });
}

async function chunkRefs(
  store: Store,
  array: ArrayNode,
  prefix: string,
  url: string,
  locate: NonNullable<NonNullable<ArrayNode["stored"]>["locate"]>,
  refs: Record<string, unknown>,
): Promise<void> {
  const grid = gridShape(array.shape, array.chunks);
  const n = array.shape.length === 0 ? 1 : product(grid);
  let fill: unknown; // an unwritten chunk inside the array, inline
  for (let i = 0; i < n; i++) {
    const coords = array.shape.length === 0 ? [] : unravel(i, grid);
    const at = await locate(coords);
    const key = `${prefix}${coords.length ? coords.join(".") : "0"}`;
    if (at) {
      refs[key] = [url, at.offset, at.size];
      continue;
    }
    // A chunk written with a filter skipped has no stored form a client could decode with the
    // declared codecs.
    const applied = await array.stored?.readApplied?.(coords);
    if (applied) {
      throw new NoReferencesError(
        `chunk ${key} was written with a filter skipped, so it has no reference`,
      );
    }
    // Unwritten: the fill chunk this store serves, inline. Leaving the key out is not enough:
    // .zarray may declare no fill value (HDF5's own fill is no _FillValue to xarray), and
    // Debian 12's fsspec (2022.11) raises KeyError for a missing reference. An unwritten HDF5
    // chunk is the fill value throughout, so every one inside the array encodes alike (edge
    // chunks are made each: what pads them is not ours to assume).
    const inside = coords.every((c, d) => (c + 1) * array.chunks[d] <= array.shape[d]);
    if (inside && fill !== undefined) refs[key] = fill;
    else {
      await inlineChunk(store, key, refs);
      if (inside) fill = refs[key];
    }
  }
}
