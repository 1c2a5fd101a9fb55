/**
 * One dataset as a Zarr store: key -> bytes. Metadata documents are rendered
 * once and kept; chunks are read from the model and encoded per request.
 */
import { inGrid } from "../model/grid.ts";
import { findNode } from "../model/tree.ts";
import { type ArrayNode, type ChunkData, type Dataset, MissingChunkError } from "../model/types.ts";
import { type Compressor, encodeVlenUtf8 } from "./codecs.ts";
import { strictJson } from "./json.ts";
import { type MetaKey, parseKey } from "./keys.ts";
import { zarray, zattrs, zgroup, zmetadata } from "./v2.ts";
import { v3Supported, zarrJson } from "./v3.ts";

/** How a dataset is published. */
export interface StoreOptions {
  compressor: Compressor;
}

/** The answer for one key. */
export type KeyResult =
  | { status: 200; kind: "json" | "chunk"; body: Uint8Array }
  | { status: 400 | 404 | 500; kind: "error"; message: string };

/** A dataset published as a Zarr store. */
export interface Store {
  readonly dataset: Dataset;
  readonly options: StoreOptions;
  /** The bytes of `key` (relative to the store root, no leading slash). */
  get(key: string): Promise<KeyResult>;
  /** The keys directly under group `path`, for listings. */
  list(path: string): string[];
}

const encoder = new TextEncoder();

/** Publishes `dataset` as a Zarr v2 + v3 store. */
export function createStore(dataset: Dataset, options: StoreOptions): Store {
  const docs = new Map<string, Uint8Array>();

  function metadata(key: string, k: MetaKey): KeyResult {
    let body = docs.get(key);
    if (!body) {
      const doc = renderDoc(k);
      if (doc === undefined) return { status: 404, kind: "error", message: `no key "${key}"` };
      body = encoder.encode(strictJson(doc));
      docs.set(key, body);
    }
    return { status: 200, kind: "json", body };
  }

  function renderDoc(k: MetaKey): unknown {
    switch (k.doc) {
      case ".zgroup":
        return zgroup();
      case ".zarray":
        return zarray(k.node as ArrayNode, options.compressor);
      case ".zattrs":
        return zattrs(k.node);
      case ".zmetadata":
        return zmetadata(dataset, options.compressor);
      case "zarr.json":
        return zarrJson(dataset, k.path, k.node, options.compressor);
    }
  }

  async function get(key: string): Promise<KeyResult> {
    const k = parseKey(dataset.root, key);
    if (k.kind === "error") return { status: k.status, kind: "error", message: k.message };
    if (k.kind === "meta") return metadata(key, k);
    if (!inGrid(k.array, k.coords)) {
      return { status: 404, kind: "error", message: `chunk ${k.coords} is outside the grid` };
    }
    if (k.format === 3 && !v3Supported(k.array)) {
      return { status: 404, kind: "error", message: `"${k.path}" is not in the v3 view` };
    }
    let data: ChunkData;
    try {
      data = await k.array.readChunk(k.coords);
    } catch (e) {
      if (e instanceof MissingChunkError) return { status: 404, kind: "error", message: e.message };
      throw e;
    }
    return { status: 200, kind: "chunk", body: await encodeChunk(data, options.compressor) };
  }

  function list(path: string): string[] {
    const node = findNode(dataset.root, path);
    if (node?.kind !== "group") return [];
    const docs = path === ""
      ? [".zgroup", ".zattrs", ".zmetadata", "zarr.json"]
      : [".zgroup", ".zattrs", "zarr.json"];
    return [...docs, ...[...node.children.keys()].map((name) => `${name}/`)];
  }

  return { dataset, options, get, list };
}

/** Encodes one chunk's values: vlen-utf8 for strings, then the compressor. */
export function encodeChunk(data: ChunkData, compressor: Compressor): Promise<Uint8Array> {
  return compressor.encode(Array.isArray(data) ? encodeVlenUtf8(data) : data);
}
