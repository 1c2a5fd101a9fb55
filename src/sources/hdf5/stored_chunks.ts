/**
 * A dataset's bytes as stored in the file, read by our own layout and chunk
 * index readers: stored chunks for pass-through, and whole regions for the
 * types h5wasm cannot convert (big-endian enums).
 */
import { VersionChangedError } from "../bytes/version.ts";
import {
  chunkRegion,
  copyBlock,
  extractBlock,
  gridShape,
  product,
  unravel,
} from "../../model/grid.ts";
import { decodeStored } from "../../codecs/registry.ts";
import type { StoredChunks, StoredCodec } from "../../model/types.ts";
import { type ChunkIndex, readChunkIndex } from "./chunk_index.ts";
import type { FileReader } from "../bytes/file_reader.ts";
import { readSuperblock } from "./superblock.ts";
import { readLayout } from "./layout.ts";

/** Where a dataset lives in its file, and how its chunks are encoded. */
export interface StoredDataset {
  /** Positional reads of the file, opened on first use. */
  reader: () => Promise<FileReader>;
  fileSize: number;
  /** The dataset's object header address. */
  address: number;
  shape: readonly number[];
  /** Maximum dims; null for unlimited. */
  maxShape: readonly (number | null)[];
  /** Bytes per stored element. */
  elemSize: number;
  /** The filter pipeline as Zarr codecs; [] when unfiltered. */
  codecs: readonly StoredCodec[];
  /** For messages: file and dataset path. */
  label: string;
  /** The file's location for references: its URL, or its absolute path. */
  url?: string;
}

/** The chunk index of `ds`, read once; a reason string when it cannot be read. */
function chunkIndexOf(ds: StoredDataset): () => Promise<ChunkIndex | string> {
  let index: Promise<ChunkIndex | string> | undefined;
  return () =>
    index ??= ds.reader().then((r) =>
      readChunkIndex(
        r,
        ds.fileSize,
        ds.address,
        ds.shape,
        ds.maxShape,
        ds.elemSize,
        ds.codecs.length > 0,
      )
    ).then((i) => {
      if (typeof i === "string") console.error(`${ds.label}: reading stored chunks: ${i}`);
      return i;
    }, (e) => {
      // A file rewritten under the read: this version is done with, the request starts again.
      if (e instanceof VersionChangedError) {
        index = undefined;
        throw e;
      }
      console.error(`${ds.label}: reading stored chunks: ${(e as Error).message}`);
      return (e as Error).message;
    });
}

/** Stored chunks read straight from the file through the dataset's chunk index. */
export function storedChunks(ds: StoredDataset): StoredChunks {
  const index = chunkIndexOf(ds);
  async function locate(coords: readonly number[]) {
    const idx = await index();
    if (typeof idx === "string") return null;
    const loc = idx.lookup(coords);
    // unwritten chunks and chunks that skipped a filter are encoded from decoded values
    if (!loc || loc.filterMask !== 0) return null;
    return { reader: await ds.reader(), loc };
  }
  return {
    codecs: ds.codecs,
    url: ds.url,
    async locate(coords) {
      const found = await locate(coords);
      return found && { offset: found.loc.offset, size: found.loc.size };
    },
    async read(coords) {
      const found = await locate(coords);
      return found && await found.reader.read(found.loc.offset, found.loc.size);
    },
    async readApplied(coords) {
      const idx = await index();
      if (typeof idx === "string") return null;
      const loc = idx.lookup(coords);
      if (!loc) return null;
      // Bit i of the mask set: filter i (codec i: storedCodecs maps them one to one) skipped.
      const codecs = ds.codecs.filter((_, i) => (loc.filterMask & (1 << i)) === 0);
      const bytes = await (await ds.reader()).read(loc.offset, loc.size);
      return { bytes, codecs };
    },
    async open(coords) {
      const found = await locate(coords);
      if (!found) return null;
      const { reader, loc } = found;
      const stream = reader.stream?.bind(reader);
      const lend = reader.lend?.bind(reader);
      return {
        size: loc.size,
        read: (offset, length) => reader.read(loc.offset + offset, length),
        ...(lend ? { lend: (offset, length, use) => lend(loc.offset + offset, length, use) } : {}),
        ...(stream ? { stream: (offset, length) => stream(loc.offset + offset, length) } : {}),
      };
    },
  };
}

/**
 * Reads any region of `ds` as stored (file byte order, packed elements), from
 * compact, contiguous or chunked layouts. Unwritten parts are an error, since
 * the file's fill value is not known here.
 */
export function storedRegionReader(
  ds: StoredDataset,
  chunks: readonly number[] | null,
): (start: readonly number[], count: readonly number[]) => Promise<Uint8Array> {
  const e = ds.elemSize;
  const layout = ds.reader().then(async (r) =>
    readLayout(r, await readSuperblock(r, ds.fileSize), ds.address)
  );
  const stored = chunks ? storedChunks(ds) : undefined;
  return async (start, count) => {
    const l = await layout;
    if (typeof l === "string") throw new Error(`${ds.label}: ${l}`);
    if (l.kind === "compact") return extractBlock(l.data, ds.shape, start, count, e);
    if (l.kind === "contiguous") {
      if (l.address < 0) throw new Error(`${ds.label}: no data written`);
      const row = product(ds.shape.slice(1)) * e;
      const rows = ds.shape.length ? count[0] : 1;
      const first = ds.shape.length ? start[0] : 0;
      const span = await (await ds.reader()).read(l.address + first * row, rows * row || e);
      const local = ds.shape.length ? [rows, ...ds.shape.slice(1)] : [];
      return extractBlock(span, local, [0, ...start.slice(1)].slice(0, local.length), count, e);
    }
    const out = new Uint8Array(product(count) * e);
    const grid = gridShape(ds.shape, chunks!);
    const lo = start.map((s, d) => Math.floor(s / chunks![d]));
    const hi = start.map((s, d) => Math.floor((s + count[d] - 1) / chunks![d]));
    const span = lo.map((l0, d) => hi[d] - l0 + 1);
    for (let i = 0; i < product(span); i++) {
      const coords = unravel(i, span).map((c, d) => c + lo[d]);
      if (coords.some((c, d) => c >= grid[d])) continue;
      const bytes = await stored!.read(coords);
      if (!bytes) throw new Error(`${ds.label}: chunk ${coords} is unwritten or skipped a filter`);
      const raw = await decodeStored(ds.codecs, bytes);
      const region = chunkRegion(ds.shape, chunks!, coords);
      const from = region.start.map((s, d) => Math.max(s, start[d]));
      const to = region.start.map((s, d) => Math.min(s + region.count[d], start[d] + count[d]));
      const size = from.map((f, d) => to[d] - f);
      const block = extractBlock(raw, chunks!, from.map((f, d) => f - region.start[d]), size, e);
      copyBlock(block, size, out, count, from.map((f, d) => f - start[d]), e);
    }
    return out;
  };
}
