/**
 * The data layout message of a dataset's object header (contiguous, compact,
 * chunked), read as the HDF5 file format specification lays it out.
 */
import { cursor, type FileReader, type Superblock, UNDEF } from "./file_bytes.ts";

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
  const blocks: { at: number; length: number; v2: boolean }[] = [];
  const head = await file.read(address, 64);
  let layout: Layout | string = "no layout message";
  if (String.fromCharCode(...head.subarray(0, 4)) === "OHDR") {
    const flags = head[5];
    let p = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeBytes = 1 << (flags & 3);
    let chunk0 = 0;
    for (let i = 0; i < sizeBytes; i++) chunk0 += head[p + i] * 2 ** (8 * i);
    p += sizeBytes;
    blocks.push({ at: address + p, length: chunk0, v2: true });
    const trackOrder = (flags & 0x04) !== 0;
    for (let b = 0; b < blocks.length && b < 1000; b++) {
      const { at, length } = blocks[b];
      const buf = await file.read(at, length);
      const c = cursor(buf, sb);
      // chunk #0's size covers its messages only; a continuation block ends in a checksum
      const end = b === 0 ? length : length - 4;
      while (c.pos + 4 <= end) {
        const type = c.u8(), size = c.u16();
        c.skip(1);
        if (trackOrder) c.skip(2);
        const body = c.pos;
        if (type === 0x10) {
          const cont = cursor(buf, sb, body);
          const addr = cont.addr(), len = cont.len();
          blocks.push({ at: addr + 4, length: len - 4, v2: true }); // skip "OCHK"
        } else if (type === 0x08) layout = parseLayout(buf.subarray(body, body + size), sb);
        c.pos = body + size;
      }
    }
    return layout;
  }
  // Version 1 object header: 16-byte prefix, 8-byte aligned messages.
  const view = new DataView(head.buffer);
  if (head[0] !== 1) return `object header version ${head[0]}`;
  const headerSize = view.getUint32(8, true);
  blocks.push({ at: address + 16, length: headerSize, v2: false });
  for (let b = 0; b < blocks.length && b < 1000; b++) {
    const { at, length } = blocks[b];
    const buf = await file.read(at, length);
    const c = cursor(buf, sb);
    while (c.pos + 8 <= length) {
      const type = c.u16(), size = c.u16();
      c.skip(4);
      const body = c.pos;
      if (type === 0x10) {
        const cont = cursor(buf, sb, body);
        const addr = cont.addr(), len = cont.len();
        blocks.push({ at: addr, length: len, v2: false });
      } else if (type === 0x08) layout = parseLayout(buf.subarray(body, body + size), sb);
      c.pos = body + size;
    }
  }
  return layout;
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
