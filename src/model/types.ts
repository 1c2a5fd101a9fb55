/**
 * The source-independent dataset model: what every source produces and every
 * Zarr view reads. It knows nothing of Zarr keys, HTTP or HDF5.
 */

/** A field of a structured (compound) type, packed in declaration order. */
export interface StructField {
  /** The field name. */
  name: string;
  /** The field type. */
  type: DataType;
  /** A subarray field's shape (numpy `("f", "<f4", (3,))`); absent for one element. */
  shape?: number[];
}

/**
 * An element type. Fixed-size values are always held little-endian in chunk
 * bytes, so a Zarr view can declare "<" without looking at the source.
 */
export type DataType =
  | { kind: "bool" }
  | { kind: "int" | "uint"; size: 1 | 2 | 4 | 8 }
  | { kind: "float"; size: 2 | 4 | 8 }
  | { kind: "complex"; size: 8 | 16 }
  /** Fixed-length byte string (numpy `S{size}`), NUL-padded. */
  | { kind: "bytes"; size: number }
  /** Variable-length UTF-8 string; chunks hold `string[]`. */
  | { kind: "string" }
  | { kind: "struct"; fields: StructField[] };

/**
 * A fill value in model terms: a number (NaN and ±Infinity allowed), bigint
 * for 64-bit integers, boolean, string (vlen strings), `[re, im]` for complex,
 * raw little-endian bytes for fixed strings and structs, or null when the
 * source declares none.
 */
export type FillValue =
  | number
  | bigint
  | boolean
  | string
  | [number, number]
  | Uint8Array
  | null;

/**
 * Attribute values are JSON-like; numbers may be NaN or infinite, and
 * integers beyond 2^53 are bigints so that they stay exact.
 */
export type AttrValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | AttrValue[]
  | { [key: string]: AttrValue };

/** A node's user-visible attributes. */
export type Attributes = Record<string, AttrValue>;

/**
 * One chunk's values in C order over the full chunk shape (edge chunks padded
 * with the fill value): little-endian bytes for fixed-size types, strings for
 * vlen strings.
 */
export type ChunkData = Uint8Array | string[];

/** Thrown by `readChunk` when a chunk is absent and should be answered as 404. */
export class MissingChunkError extends Error {
  /** Names the error in logs. */
  override name = "MissingChunkError";
}

/**
 * Thrown when a dataset cannot be served right now: 404 when its file is gone,
 * 503 (with a retry delay) when it changed under a request or is half-written,
 * 502 or 504 when the remote store holding it failed or timed out.
 */
export class UnavailableError extends Error {
  /** Names the error in logs. */
  override name = "UnavailableError";
  /** The HTTP status to answer with. */
  readonly status: 404 | 502 | 503 | 504;
  /** Seconds a client should wait before retrying (503 only). */
  readonly retryAfter?: number;
  /** An error answered with `status`. */
  constructor(status: 404 | 502 | 503 | 504, message: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** A codec of stored chunk bytes that a Zarr view can declare as it is. */
export type StoredCodec =
  | { id: "shuffle"; elementSize: number }
  | { id: "zlib"; level: number }
  | { id: "zstd"; level: number }
  | { id: "blosc"; cname: string; clevel: number; shuffle: number; typesize: number };

/** Chunks a source can hand over already encoded, so no one decodes them on the way. */
export interface StoredChunks {
  /** Applied in this order when the chunk was written; a Zarr view declares exactly these. */
  readonly codecs: readonly StoredCodec[];
  /** The stored bytes of a chunk, or null when the view must encode `readChunk` itself. */
  read(coords: readonly number[]): Promise<Uint8Array | null>;
  /**
   * A stored chunk's size and a reader of any part of it, without reading it
   * (for streaming large chunks); null as for `read`.
   */
  open?(coords: readonly number[]): Promise<StoredSpan | null>;
  /** Where the stored bytes live, for references (kerchunk): a URL or an absolute path. */
  readonly url?: string;
  /** A chunk's byte range in `url`, or null as for `read` (unwritten, or a filter skipped). */
  locate?(coords: readonly number[]): Promise<{ offset: number; size: number } | null>;
  /**
   * Any written chunk's stored bytes with the codecs actually applied to them: fewer than
   * `codecs` when the writer skipped a filter for this chunk (HDF5's filter mask); null when
   * unwritten. For decoding, never for serving as stored.
   */
  readApplied?(
    coords: readonly number[],
  ): Promise<{ bytes: Uint8Array; codecs: readonly StoredCodec[] } | null>;
}

/** A stored chunk that can be read piece by piece. */
export interface StoredSpan {
  /** Its size in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` within the chunk. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The same bytes in a buffer lent until `use` (or the promise it returns) settles; it is
   * reused after, so `use` must copy what it keeps beyond that.
   */
  lend?<T>(offset: number, length: number, use: (bytes: Uint8Array) => T | Promise<T>): Promise<T>;
  /** The same bytes as one stream, as they arrive (remote files: one range request). */
  stream?(offset: number, length: number): Promise<ReadableStream<Uint8Array>>;
}

/** An n-dimensional array with its chunk grid and a way to read one chunk. */
export interface ArrayNode {
  /** Tells arrays from groups. */
  readonly kind: "array";
  /** Length of each axis ([] for a scalar). */
  readonly shape: readonly number[];
  /** Chunk length along each axis. */
  readonly chunks: readonly number[];
  /** The element type. */
  readonly dtype: DataType;
  /** One dimension name per axis: what xarray calls the variable's dims. */
  readonly dims: readonly string[];
  /** User-visible attributes (CF attributes, units, ...). */
  readonly attrs: Attributes;
  /** Attributes whose numbers are floats in the source: written 5.0, never 5. */
  readonly floatAttrs?: readonly string[];
  /** Written as the Zarr fill_value (xarray reads it back as `_FillValue`). */
  readonly fillValue: FillValue;
  /** Reads the chunk at grid coordinates `coords` (already range-checked). */
  readChunk(coords: readonly number[]): ChunkData | Promise<ChunkData>;
  /**
   * Reads any block (unpadded, C order) when the source can: what
   * aggregations, computed variables and rechunking build on.
   */
  readRegion?(start: readonly number[], count: readonly number[]): ChunkData | Promise<ChunkData>;
  /** Present when chunks can be served as stored (zero-decode pass-through). */
  readonly stored?: StoredChunks;
}

/** A group of arrays and subgroups, in the order the source lists them. */
export interface GroupNode {
  /** Tells groups from arrays. */
  readonly kind: "group";
  /** The group's attributes (global attributes at the root). */
  readonly attrs: Attributes;
  /** Attributes whose numbers are floats in the source: written 5.0, never 5. */
  readonly floatAttrs?: readonly string[];
  /** Child nodes by name, in source order. */
  readonly children: ReadonlyMap<string, Node>;
}

/** A node of the dataset tree. */
export type Node = ArrayNode | GroupNode;

/** A named tree of groups and arrays, published as one Zarr store. */
export interface Dataset {
  /** The store name: the dataset is served at `/{name}/`. */
  readonly name: string;
  /** The root group. */
  readonly root: GroupNode;
  /** Changes whenever the data may have changed; feeds ETags. */
  readonly version: string;
  /** Where it came from, for listings and logs. */
  readonly source: string;
  /** Notes about what was left out, and why. */
  readonly warnings: readonly string[];
  /** Releases file handles once the dataset is superseded; reads after it fail. */
  close?(): Promise<void>;
}
