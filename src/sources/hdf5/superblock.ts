/** The HDF5 superblock, where every address is based, and the little-endian field cursor. */
import type { FileReader } from "../bytes/file_reader.ts";

/** An all-ones (undefined) address, as `Cursor.uint` reads it. */
export const UNDEF = -1;

/** Sizes, base address and end-of-file address from the superblock. */
export interface Superblock {
  /** Where addresses are based (a user block may precede the superblock). */
  base: number;
  /** Bytes per address. */
  offsets: number;
  /** Bytes per length. */
  lengths: number;
  /** The absolute end of the file as its writer left it. */
  end: number;
}

/** A read cursor over a buffer, for the file's little-endian fields. */
export interface Cursor {
  pos: number;
  u8(): number;
  u16(): number;
  u32(): number;
  uint(n: number): number;
  addr(): number;
  len(): number;
  skip(n: number): void;
  sig(): string;
}

/** A cursor over `buf` at `pos`, with the superblock's address and length sizes. */
export function cursor(buf: Uint8Array, sb: Superblock, pos = 0): Cursor {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const c: Cursor = {
    pos,
    u8: () => view.getUint8(c.pos++),
    u16: () => {
      const v = view.getUint16(c.pos, true);
      c.pos += 2;
      return v;
    },
    u32: () => {
      const v = view.getUint32(c.pos, true);
      c.pos += 4;
      return v;
    },
    uint(n) {
      let v = 0, all = true;
      for (let i = 0; i < n; i++) {
        const b = view.getUint8(c.pos + i);
        if (b !== 0xff) all = false;
        v += b * 2 ** (8 * i);
      }
      c.pos += n;
      return all && n > 0 ? UNDEF : v;
    },
    addr() {
      const v = c.uint(sb.offsets);
      return v === UNDEF ? UNDEF : v + sb.base;
    },
    len: () => c.uint(sb.lengths),
    skip(n) {
      c.pos += n;
    },
    sig() {
      const s = String.fromCharCode(...buf.subarray(c.pos, c.pos + 4));
      c.pos += 4;
      return s;
    },
  };
  return c;
}

/** The 8 bytes an HDF5 superblock starts with. */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

// One reader per file version: its superblock is read once, not once per attribute, chunk
// index and region reader.
const known = new WeakMap<FileReader, Promise<Superblock>>();

/** The superblock of the version `file` reads (at 0, 512, 1024, ...), read once. */
export function readSuperblock(file: FileReader, size: number): Promise<Superblock> {
  let sb = known.get(file);
  if (!sb) {
    sb = findSuperblock(file, size);
    known.set(file, sb);
    sb.catch(() => known.delete(file)); // a failed read is tried again
  }
  return sb;
}

async function findSuperblock(file: FileReader, size: number): Promise<Superblock> {
  for (let at = 0; at + 64 <= size; at = at === 0 ? 512 : at * 2) {
    const buf = await file.read(at, Math.min(64, size - at));
    if (!HDF5_SIGNATURE.every((b, i) => buf[i] === b)) continue;
    const version = buf[8];
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const early = version <= 1;
    const offsets = early ? buf[13] : buf[9], lengths = early ? buf[14] : buf[10];
    const baseAt = version === 0 ? 24 : version === 1 ? 28 : 12;
    const addr = (p: number) =>
      offsets === 4 ? view.getUint32(p, true) : Number(view.getBigUint64(p, true));
    const base = addr(baseAt);
    // v0/1: base, free-space address, then the end-of-file address; v2/3: base, extension, end.
    const endAt = baseAt + 2 * offsets;
    const end = endAt + offsets <= buf.length ? base + addr(endAt) : size;
    return { offsets, lengths, base, end };
  }
  throw new Error("no HDF5 superblock");
}
