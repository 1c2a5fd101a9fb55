/**
 * Where each stored chunk of an HDF5 dataset lives in the file, read from the
 * chunk index as the HDF5 file format specification lays it out: v1 B-trees
 * (layout v1-3), and the layout v4 indexes (single chunk, implicit, fixed
 * array, extensible array, v2 B-tree). h5wasm does not expose chunk
 * addresses; this lets the server hand stored bytes over untouched.
 */
import { product } from "../../model/grid.ts";
import type { FileReader } from "../bytes/file_reader.ts";
import { cursor, readSuperblock, type Superblock, UNDEF } from "./superblock.ts";
import { readLayout } from "./layout.ts";
import { type ChunkLocation, readExtensibleArray, readFixedArray } from "./chunk_arrays.ts";

export type { ChunkLocation };

/** Stored-chunk lookup by chunk grid coordinates; undefined when never written. */
export interface ChunkIndex {
  readonly kind: string;
  lookup(coords: readonly number[]): ChunkLocation | undefined;
}

/** Linear C-order index of chunk `coords` in a grid of `grid` chunks. */
function linear(coords: readonly number[], grid: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < grid.length; d++) i = i * grid[d] + coords[d];
  return i;
}

/** Bytes needed for `n` (at least 1), as HDF5's H5VM_limit_enc_size. */
function encSize(n: number): number {
  return Math.floor(Math.log2(Math.max(n, 1)) / 8) + 1;
}

/**
 * Reads the chunk index of the dataset whose object header is at `address`.
 * Returns a reason string for layouts it does not handle (the caller then
 * decodes through h5wasm).
 */
export async function readChunkIndex(
  file: FileReader,
  fileSize: number,
  address: number,
  shape: readonly number[],
  maxShape: readonly (number | null)[],
  elemSize: number,
  filtered: boolean,
): Promise<ChunkIndex | string> {
  const sb = await readSuperblock(file, fileSize);
  const layout = await readLayout(file, sb, address);
  if (typeof layout === "string") return layout;
  if (layout.kind !== "chunked") return layout.kind;
  const chunks = layout.chunks;
  const grid = shape.map((n, d) => Math.ceil(n / chunks[d]));
  // Array indexes (implicit, fixed and extensible arrays) count chunks over the maximum dims.
  const maxGrid = maxShape.map((m, d) => (m === null ? grid[d] : Math.ceil(m / chunks[d])));
  const chunkBytes = product(chunks) * elemSize;
  const table = new Map<number, ChunkLocation>();
  // Unfiltered chunks are stored whole: their size is the chunk's size in bytes.
  const sized = (e: ChunkLocation | undefined) =>
    e && !filtered ? { ...e, size: chunkBytes, filterMask: 0 } : e;
  const lookupTable = (kind: string): ChunkIndex => ({
    kind,
    lookup: (coords) => sized(table.get(linear(coords, grid))),
  });
  if (layout.address === UNDEF) return lookupTable("unallocated");

  if (layout.version < 4) {
    await walkV1BTree(file, sb, layout.address, chunks, grid, table);
    return lookupTable("v1 B-tree");
  }
  switch (layout.indexType) {
    case 1: // single chunk
      table.set(0, {
        offset: layout.address,
        size: layout.singleSize ?? chunkBytes,
        filterMask: layout.singleMask ?? 0,
      });
      return lookupTable("single chunk");
    case 2: // implicit: every chunk allocated, in order, unfiltered
      return {
        kind: "implicit",
        lookup: (coords) => ({
          offset: layout.address + linear(coords, maxGrid) * chunkBytes,
          size: chunkBytes,
          filterMask: 0,
        }),
      };
    case 3:
      await readFixedArray(file, sb, layout.address, filtered, table);
      return { kind: "fixed array", lookup: (coords) => sized(table.get(linear(coords, maxGrid))) };
    case 4: {
      // The unlimited dimension is "swizzled" to the front for the linear index.
      const unlimited = maxShape.findIndex((m) => m === null);
      const order = unlimited <= 0 ? grid.map((_, i) => i) : [
        unlimited,
        ...grid.map((_, i) => i).filter((i) => i !== unlimited),
      ];
      const ok = await readExtensibleArray(
        file,
        sb,
        layout.address,
        filtered,
        table,
      );
      if (typeof ok === "string") return ok;
      const swizzled = order.map((d) => maxGrid[d]);
      return {
        kind: "extensible array",
        lookup: (coords) => sized(table.get(linear(order.map((d) => coords[d]), swizzled))),
      };
    }
    case 5: {
      const ok = await readV2BTree(file, sb, layout.address, chunks, table, grid);
      return typeof ok === "string" ? ok : lookupTable("v2 B-tree");
    }
  }
  return `chunk index type ${layout.indexType}`;
}

async function walkV1BTree(
  file: FileReader,
  sb: Superblock,
  address: number,
  chunks: number[],
  grid: number[],
  table: Map<number, ChunkLocation>,
): Promise<void> {
  const rank = chunks.length;
  const keySize = 8 + 8 * (rank + 1);
  const pending = [address];
  let visited = 0;
  while (pending.length) {
    const at = pending.pop()!;
    if (++visited > 1e6) throw new Error("v1 B-tree too large or cyclic");
    const head = await file.read(at, 8 + 2 * sb.offsets);
    const h = cursor(head, sb);
    if (h.sig() !== "TREE") throw new Error(`bad v1 B-tree node at ${at}`);
    const type = h.u8(), level = h.u8(), entries = h.u16();
    if (type !== 1) throw new Error("v1 B-tree is not a chunk index");
    const size = entries * (keySize + sb.offsets) + keySize;
    const buf = await file.read(at + 8 + 2 * sb.offsets, size);
    const c = cursor(buf, sb);
    for (let i = 0; i < entries; i++) {
      const chunkSize = c.u32(), filterMask = c.u32();
      const offsets = Array.from({ length: rank + 1 }, () => c.uint(8));
      const child = c.addr();
      if (level > 0) pending.push(child);
      else {
        const coords = offsets.slice(0, rank).map((o, d) => Math.floor(o / chunks[d]));
        table.set(linear(coords, grid), { offset: child, size: chunkSize, filterMask });
      }
    }
  }
}

async function readV2BTree(
  file: FileReader,
  sb: Superblock,
  address: number,
  chunks: number[],
  table: Map<number, ChunkLocation>,
  grid: number[],
): Promise<void | string> {
  const head = await file.read(address, 16 + sb.offsets + 2 + sb.lengths + 4);
  const h = cursor(head, sb);
  if (h.sig() !== "BTHD") throw new Error("bad v2 B-tree header");
  h.skip(1);
  const type = h.u8(), nodeSize = h.u32(), recordSize = h.u16(), depth = h.u16();
  h.skip(2);
  const root = h.addr(), rootRecords = h.u16();
  if (type !== 10 && type !== 11) return `v2 B-tree record type ${type}`;
  const rank = chunks.length;
  const sizeBytes = type === 11 ? recordSize - sb.offsets - 4 - 8 * rank : 0;
  // Node capacities per level, as H5B2__hdr_init computes them.
  const overhead = 10; // signature, version, type, checksum
  const maxRec: number[] = [],
    cumMax: number[] = [],
    recBytes: number[] = [],
    cumBytes: number[] = [];
  maxRec[0] = Math.floor((nodeSize - overhead) / recordSize);
  cumMax[0] = maxRec[0];
  recBytes[0] = encSize(maxRec[0]);
  cumBytes[0] = recBytes[0];
  for (let d = 1; d <= depth; d++) {
    const ptr = sb.offsets + recBytes[d - 1] + (d > 1 ? cumBytes[d - 1] : 0);
    maxRec[d] = Math.floor((nodeSize - overhead - ptr) / (recordSize + ptr));
    cumMax[d] = (maxRec[d] + 1) * cumMax[d - 1] + maxRec[d];
    recBytes[d] = encSize(maxRec[d]);
    cumBytes[d] = encSize(cumMax[d]);
  }
  const visit = async (at: number, records: number, level: number): Promise<void> => {
    const buf = await file.read(at, nodeSize);
    const c = cursor(buf, sb);
    const sig = c.sig();
    if (sig !== (level === 0 ? "BTLF" : "BTIN")) throw new Error(`bad v2 B-tree node at ${at}`);
    c.skip(2);
    for (let i = 0; i < records; i++) {
      const offset = c.addr();
      const size = type === 11 ? c.uint(sizeBytes) : 0;
      const filterMask = type === 11 ? c.u32() : 0;
      const scaled = Array.from({ length: rank }, () => c.uint(8));
      if (offset !== UNDEF && scaled.every((s, d) => s < grid[d])) {
        table.set(linear(scaled, grid), { offset, size, filterMask });
      }
    }
    if (level === 0) return;
    for (let i = 0; i <= records; i++) {
      const child = c.addr();
      const n = c.uint(recBytes[level - 1]);
      if (level > 1) c.skip(cumBytes[level - 1]);
      await visit(child, n, level - 1);
    }
  };
  if (root !== UNDEF) await visit(root, rootRecords, depth);
}
