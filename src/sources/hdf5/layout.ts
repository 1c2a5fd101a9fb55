/**
 * The data layout message of a dataset's object header (contiguous, compact,
 * chunked), read as the HDF5 file format specification lays it out.
 */
import type { FileReader } from "../bytes/file_reader.ts";
import { cursor, type Superblock, UNDEF } from "./superblock.ts";
import { MESSAGE, readMessages } from "./object_header.ts";

/** The layout message of a chunked dataset, as far as chunk lookup needs it. */
export interface ChunkedLayout {
  kind: "chunked";
  version: number;
  /** Chunk dims without the trailing element-size dim. */
  chunks: number[];
  address: number;
  /** v4 only. */
  indexType?: number;
  flags?: number;
  singleSize?: number;
  singleMask?: number;
}

/** Raw data in one run of the file; `size` is absent in layout versions 1 and 2. */
export interface ContiguousLayout {
  kind: "contiguous";
  address: number;
  size?: number;
}

/** Raw data held in the object header itself. */
export interface CompactLayout {
  kind: "compact";
  data: Uint8Array;
}

/** Where a dataset's raw data lives. */
export type Layout = ChunkedLayout | ContiguousLayout | CompactLayout;

/** The layout message of the object header at `address`, or why it cannot be read. */
export async function readLayout(
  file: FileReader,
  sb: Superblock,
  address: number,
): Promise<Layout | string> {
  const messages = await readMessages(file, sb, address);
  if (typeof messages === "string") return messages;
  const layout = messages.find((m) => m.type === MESSAGE.layout);
  return layout ? parseLayout(layout.body, sb) : "no layout message";
}

function parseLayout(buf: Uint8Array, sb: Superblock): Layout | string {
  const c = cursor(buf, sb);
  const version = c.u8();
  if (version === 1 || version === 2) {
    const rank = c.u8(), cls = c.u8();
    c.skip(5);
    const address = cls === 0 ? UNDEF : c.addr();
    const dims = Array.from({ length: rank }, () => c.u32());
    if (cls === 0) {
      const size = c.u32();
      return { kind: "compact", data: buf.slice(c.pos, c.pos + size) };
    }
    if (cls === 1) return { kind: "contiguous", address };
    return { kind: "chunked", version, chunks: dims.slice(0, -1), address };
  }
  const cls = c.u8();
  if (cls === 0) {
    const size = c.u16();
    return { kind: "compact", data: buf.slice(c.pos, c.pos + size) };
  }
  if (cls === 1) {
    const address = c.addr();
    return { kind: "contiguous", address, size: c.len() };
  }
  if (cls !== 2) return "virtual";
  if (version === 3) {
    const rank = c.u8();
    const address = c.addr();
    const dims = Array.from({ length: rank }, () => c.u32());
    return { kind: "chunked", version, chunks: dims.slice(0, -1), address };
  }
  if (version !== 4) return `layout message version ${version}`;
  const flags = c.u8(), rank = c.u8(), dimBytes = c.u8();
  const dims = Array.from({ length: rank }, () => c.uint(dimBytes));
  const indexType = c.u8();
  let singleSize: number | undefined, singleMask: number | undefined;
  switch (indexType) {
    case 1:
      if (flags & 2) {
        singleSize = c.len();
        singleMask = c.u32();
      }
      break;
    case 2:
      break;
    case 3:
      c.skip(1); // page bits: the fixed array header repeats them
      break;
    case 4:
      c.skip(5); // creation parameters: the extensible array header repeats them
      break;
    case 5:
      c.skip(6); // node size, split and merge percents: the v2 B-tree header repeats them
      break;
    default:
      return `chunk index type ${indexType}`;
  }
  const address = c.addr();
  return {
    kind: "chunked",
    version,
    chunks: dims.slice(0, -1),
    address,
    indexType,
    flags,
    singleSize,
    singleMask,
  };
}
