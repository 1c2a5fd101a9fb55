/**
 * One dataset as a Zarr store: key -> bytes. Metadata documents are rendered
 * once and kept; chunks are read from the model and encoded per request.
 */
import { inGrid, itemSize, product } from "../model/grid.ts";
import { findNode } from "../model/tree.ts";
import {
  type ArrayNode,
  type ChunkData,
  type Dataset,
  MissingChunkError,
  type Node,
  type StoredSpan,
} from "../model/types.ts";
import type { Compressor } from "../codecs/registry.ts";
import { decodedChunk } from "../codecs/stored_chunk.ts";
import { encodingOf, passesThrough, type PassThrough } from "./pipeline.ts";
import { strictJson } from "./json.ts";
import { type BadKey, type MetaKey, parseKey, type StoreKey } from "./keys.ts";
import { withSafeNames } from "./names.ts";
import { zarray, zattrs, zgroup, zmetadata } from "./v2.ts";
import { type V3Layout, zarrJson } from "./v3.ts";
import { type ByteCache, byteCache } from "./cache.ts";
import { answers, BOTH_STRICT, type DocStyle } from "./style.ts";

/** The default budget of the encoded-chunk cache. */
export const DEFAULT_CACHE_BYTES = 32 << 20;

/** Stored chunks this large or larger are streamed by default. */
export const DEFAULT_STREAM_BYTES = 8 << 20;
import type { Transcoder } from "./transcoder.ts";
import { buildShard, bytesPart, isSharded, shardShape, spanPart } from "./sharding.ts";

/** How a dataset is published. */
export interface StoreOptions {
  /** Compresses chunks that are not served as stored. */
  compressor: Compressor;
  /** v3 only: group inner chunks into shards of about this many decoded bytes. */
  shardBytes?: number;
  /** Encoded chunks and shards kept in memory; share one across stores to bound the total. */
  cache?: ByteCache;
  /** Which stored chunks are served untouched (default "auto"). */
  passthrough?: PassThrough;
  /** Workers for decoding stored chunks that do not pass through; else the main thread. */
  transcoder?: Transcoder;
  /** Stored chunks at least this large are streamed, not read whole (default 8 MiB). */
  streamBytes?: number;
}

/**
 * How a chunk's bytes were made: "stored" (the file's bytes as they are), "transcoded" (stored
 * bytes decoded and re-encoded), "encoded" (values from the source, encoded here), or "cached"
 * (an encoded chunk or shard kept from an earlier request).
 */
export type ChunkOrigin = "stored" | "transcoded" | "encoded" | "cached";

/** The answer for one key, in Zarr terms (the HTTP layer gives them statuses). */
export type KeyResult =
  | { kind: "json"; body: Uint8Array }
  | { kind: "chunk"; body: Uint8Array; origin: ChunkOrigin }
  /**
   * A stored chunk as it lies in its source: read whole per request (`whole`, into a buffer lent
   * for the response), or streamed from the source a piece at a time (large ones); a remote
   * chunk is the body of its one range request.
   */
  | { kind: "stored"; span: StoredSpan; whole: boolean }
  /** A group or array itself: no document, a listing or a page. */
  | { kind: "node"; path: string; node: Node }
  /** No store could hold such a key ("invalid"), or this one does not ("absent"). */
  | BadKey;

/** A dataset published as a Zarr store. */
export interface Store {
  /** The dataset served. */
  readonly dataset: Dataset;
  /** How it is published. */
  readonly options: StoreOptions;
  /**
   * The bytes of `key` (relative to the store root, no leading slash), with metadata documents
   * in `style` (default: both formats, strict JSON).
   */
  get(key: string, style?: DocStyle): Promise<KeyResult>;
  /** What `key` names here, decided once per request. */
  resolve(key: string): StoreKey;
  /** The answer for a resolved key. */
  answer(k: StoreKey, style?: DocStyle): Promise<KeyResult>;
  /** Whether a resolved key is a document (in `style`) or an in-grid chunk (nothing is read). */
  has(k: StoreKey, style?: DocStyle): boolean;
  /** The keys directly under group `path` in `style`, for listings. */
  list(path: string, style?: DocStyle): string[];
  /** Whether `key` names a document (in `style`) or an in-grid chunk (nothing is read). */
  exists(key: string, style?: DocStyle): boolean;
  /** Identifies the encoding options; part of every ETag. */
  readonly tag: string;
}

const encoder = new TextEncoder();

/** A chunk's encoded bytes and how they were made. */
interface Encoded {
  bytes: Uint8Array;
  origin: ChunkOrigin;
}

/** Publishes `dataset` as a Zarr v2 + v3 store (nodes a URL cannot name are renamed). */
export function createStore(source: Dataset, options: StoreOptions): Store {
  const dataset = withSafeNames(source);
  const docs = new Map<string, Uint8Array>();
  const mode = options.passthrough ?? "auto";
  const shards = new Map<ArrayNode, readonly number[] | undefined>();
  const cache = options.cache ?? byteCache(DEFAULT_CACHE_BYTES);
  const cacheKey = (path: string, coords: readonly number[]) =>
    `${dataset.name}|${dataset.version}|${mode}|${path}|${coords}`;
  const layout: V3Layout = {
    compressor: options.compressor,
    mode,
    shardOf(array) {
      if (!options.shardBytes || array.shape.length === 0) return undefined;
      if (!shards.has(array)) {
        const shape = shardShape(array, options.shardBytes);
        shards.set(array, isSharded(array, shape) ? shape : undefined);
      }
      return shards.get(array);
    },
  };

  function metadata(k: MetaKey, style: DocStyle): KeyResult {
    if (!answers(k.doc, style.formats)) {
      return {
        kind: "absent",
        message: `no ${k.doc} at "${k.path}": this client is served Zarr ${style.formats} ` +
          `documents only`,
      };
    }
    const docKey = `${style.nonFinite}|${k.path}/${k.doc}`;
    let body = docs.get(docKey);
    if (!body) {
      body = encoder.encode(strictJson(renderDoc(k), 2, style.nonFinite));
      docs.set(docKey, body);
    }
    return { kind: "json", body };
  }

  function renderDoc(k: MetaKey): unknown {
    switch (k.doc) {
      case ".zgroup":
        return zgroup();
      case ".zarray":
        return zarray(k.node as ArrayNode, options.compressor, mode);
      case ".zattrs":
        return zattrs(k.node);
      case ".zmetadata":
        return zmetadata(dataset, options.compressor, mode);
      case "zarr.json":
        return zarrJson(dataset, k.path, k.node, layout);
    }
  }

  const resolve = (key: string) => parseKey(dataset.root, key);
  // The bytes themselves, whichever way the HTTP layer would send them.
  const get = async (key: string, style = BOTH_STRICT): Promise<KeyResult> => {
    const r = await answer(resolve(key), style);
    if (r.kind !== "stored") return r;
    return { kind: "chunk", body: await r.span.read(0, r.span.size), origin: "stored" };
  };

  async function answer(k: StoreKey, style = BOTH_STRICT): Promise<KeyResult> {
    if (k.kind !== "chunk") return k.kind === "meta" ? metadata(k, style) : k;
    const shard = k.format === 3 ? layout.shardOf(k.array) : undefined;
    const grid = shard ? { ...k.array, chunks: shard } : k.array;
    if (!inGrid(grid, k.coords)) {
      return { kind: "absent", message: `chunk ${k.coords} is outside the grid` };
    }
    if (shard) {
      const ck = cacheKey(k.path, k.coords);
      const origin = cache.has(ck) ? "cached" : "encoded";
      const body = await cache.get(
        ck,
        () =>
          buildShard(
            k.array,
            shard,
            k.coords,
            async (c) => {
              // Stored inner chunks pass through kept read buffers: no fresh buffer each.
              const span = passesThrough(k.array, mode) && await k.array.stored?.open?.(c);
              if (span) return spanPart(span);
              const made = await readEncoded(k.array, c);
              return made ? bytesPart(made.bytes) : null;
            },
          ),
      );
      return { kind: "chunk", body, origin };
    }
    if (passesThrough(k.array, mode) && k.array.stored?.open) {
      const span = await k.array.stored.open(k.coords);
      // Large local chunks stream a piece at a time; smaller ones are read whole, and checked
      // before they are sent. Remote ones are their range request's body either way.
      if (span) {
        return {
          kind: "stored",
          span,
          whole: span.size < (options.streamBytes ?? DEFAULT_STREAM_BYTES),
        };
      }
    }
    // Passed-through chunks are one pread away; anything encoded here is worth keeping.
    let made: Encoded | null;
    if (passesThrough(k.array, mode)) made = await readEncoded(k.array, k.coords);
    else {
      const ck = cacheKey(k.path, k.coords);
      let origin: ChunkOrigin = "cached";
      made = await cache.get(ck, async () => {
        const b = await readEncoded(k.array, k.coords);
        if (!b) throw new MissingChunkError(`chunk ${k.coords} is missing`);
        origin = b.origin;
        return b.bytes;
      }).then((bytes) => ({ bytes, origin })).catch((e) => {
        if (e instanceof MissingChunkError) return null;
        throw e;
      });
    }
    if (!made) return { kind: "absent", message: `chunk ${k.coords} is missing` };
    return { kind: "chunk", body: made.bytes, origin: made.origin };
  }

  /**
   * One chunk encoded, or null when the source says it is missing. Stored
   * bytes go out untouched when the array passes through; otherwise they are
   * decoded natively and re-encoded, and only without them does the source decode.
   */
  async function readEncoded(array: ArrayNode, coords: number[]): Promise<Encoded | null> {
    const encoding = encodingOf(array, options.compressor, mode);
    const stored = mode === "off" ? undefined : array.stored;
    const length = product(array.chunks) * itemSize(array.dtype);
    if (stored && (encoding.passthrough || options.transcoder)) {
      const bytes = await stored.read(coords);
      if (bytes && encoding.passthrough) return { bytes, origin: "stored" };
      // Decoded and encoded again on the workers; anything odd: the source decodes it.
      const out = bytes && await options.transcoder!
        .transcode(stored.codecs, bytes, options.compressor.spec, length)
        .catch(() => null);
      if (out) return { bytes: out, origin: "transcoded" };
    } else if (stored) {
      const raw = await decodedChunk(stored, coords, length);
      if (raw) return { bytes: await encoding.encode(raw), origin: "transcoded" };
    }
    let data: ChunkData;
    try {
      data = await array.readChunk(coords);
    } catch (e) {
      if (e instanceof MissingChunkError) return null;
      throw e;
    }
    return { bytes: await encoding.encode(data), origin: "encoded" };
  }

  function list(path: string, style = BOTH_STRICT): string[] {
    const node = findNode(dataset.root, path);
    if (node?.kind !== "group") return [];
    // A v3 listing leaves out .zmetadata: zarr-python 3, listing a group, warns about any key
    // that is no node of a v3 hierarchy (a GET still answers it, for zarr-python 2).
    const all = path === "" && style.formats !== "v3";
    const docs =
      (all
        ? [".zgroup", ".zattrs", ".zmetadata", "zarr.json"] as const
        : [".zgroup", ".zattrs", "zarr.json"] as const).filter((d) => answers(d, style.formats));
    return [...docs, ...[...node.children.keys()].map((name) => `${name}/`)];
  }

  const tag = JSON.stringify([
    options.compressor.v2,
    options.compressor.v3,
    options.shardBytes ?? 0,
    mode === "auto" ? "compat" : mode, // each view of a dataset has its own ETags
  ]);
  const exists = (key: string, style = BOTH_STRICT) => has(resolve(key), style);

  function has(k: StoreKey, style = BOTH_STRICT): boolean {
    if (k.kind !== "chunk") return k.kind === "meta" && answers(k.doc, style.formats);
    const shard = k.format === 3 ? layout.shardOf(k.array) : undefined;
    return inGrid(shard ? { ...k.array, chunks: shard } : k.array, k.coords);
  }

  return { dataset, options, get, resolve, answer, has, list, exists, tag };
}
