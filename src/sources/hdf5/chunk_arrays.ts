/**
 * The array-shaped chunk indexes of HDF5 layout v4, as the file format specification lays them
 * out: the fixed array (datasets of a fixed size) and the extensible array (one growing
 * dimension).
 */
import type { FileReader } from "../bytes/file_reader.ts";
import { type Cursor, cursor, type Superblock, UNDEF } from "./superblock.ts";

/** One stored chunk: its byte range and the filters skipped for it (bit i = filter i). */
export interface ChunkLocation {
  offset: number;
  size: number;
  filterMask: number;
}

/** Decodes one FA/EA element: an address, and for filtered chunks a size and mask. */
function element(c: Cursor, filtered: boolean, elementSize: number, sbOffsets: number) {
  const offset = c.addr();
  if (!filtered) return { offset, size: 0, filterMask: 0 };
  const size = c.uint(elementSize - sbOffsets - 4);
  const filterMask = c.u32();
  return { offset, size, filterMask };
}

/** Reads a fixed array index (layout v4) into `table`, by linear chunk number. */
export async function readFixedArray(
  file: FileReader,
  sb: Superblock,
  address: number,
  filtered: boolean,
  table: Map<number, ChunkLocation>,
): Promise<void> {
  const head = await file.read(address, 12 + sb.lengths + sb.offsets + 4);
  const h = cursor(head, sb);
  if (h.sig() !== "FAHD") throw new Error("bad fixed array header");
  h.skip(2); // version, client id
  const elementSize = h.u8(), pageBits = h.u8();
  const count = h.len();
  const dblock = h.addr();
  if (dblock === UNDEF) return;
  const prefix = 6 + sb.offsets;
  const pageElems = 2 ** pageBits;
  const paged = count > pageElems;
  const nPages = paged ? Math.ceil(count / pageElems) : 0;
  const bitmapBytes = paged ? Math.ceil(nPages / 8) : 0;
  if (!paged) {
    const buf = await file.read(dblock, prefix + count * elementSize);
    const c = cursor(buf, sb, prefix);
    for (let i = 0; i < count; i++) put(table, i, element(c, filtered, elementSize, sb.offsets));
    return;
  }
  const bitmap = await file.read(dblock + prefix, bitmapBytes);
  let at = dblock + prefix + bitmapBytes + 4; // the prefix has its own checksum
  for (let p = 0; p < nPages; p++) {
    const n = Math.min(pageElems, count - p * pageElems);
    if (bitmap[p >> 3] & (0x80 >> (p & 7))) {
      const buf = await file.read(at, n * elementSize);
      const c = cursor(buf, sb);
      for (let i = 0; i < n; i++) {
        put(table, p * pageElems + i, element(c, filtered, elementSize, sb.offsets));
      }
    }
    at += n * elementSize + 4;
  }
}

function put(table: Map<number, ChunkLocation>, i: number, e: ChunkLocation): void {
  if (e.offset !== UNDEF) table.set(i, e);
}

/** Reads an extensible array index (layout v4) into `table`, by linear chunk number. */
export async function readExtensibleArray(
  file: FileReader,
  sb: Superblock,
  address: number,
  filtered: boolean,
  table: Map<number, ChunkLocation>,
): Promise<void | string> {
  const head = await file.read(address, 12 + 6 * sb.lengths + sb.offsets + 4);
  const h = cursor(head, sb);
  if (h.sig() !== "EAHD") throw new Error("bad extensible array header");
  h.skip(2);
  const elementSize = h.u8(), maxBits = h.u8(), idxElems = h.u8(), dblkMin = h.u8();
  const sblkMinPtrs = h.u8(), pageBits = h.u8();
  h.skip(6 * sb.lengths); // statistics
  const iblock = h.addr();
  if (iblock === UNDEF) return;
  // Super block geometry, as HDF5's H5EA__hdr_init computes it.
  const nsblks = 1 + maxBits - Math.log2(dblkMin);
  const sblks: { ndblks: number; nelmts: number; start: number; startDblk: number }[] = [];
  let start = 0, startDblk = 0;
  for (let u = 0; u < nsblks; u++) {
    const ndblks = 2 ** Math.floor(u / 2), nelmts = dblkMin * 2 ** Math.floor((u + 1) / 2);
    sblks.push({ ndblks, nelmts, start, startDblk });
    start += ndblks * nelmts;
    startDblk += ndblks;
  }
  const iblockSblks = 2 * Math.log2(sblkMinPtrs);
  const ndblkAddrs = 2 * (sblkMinPtrs - 1);
  const nsblkAddrs = nsblks - iblockSblks;
  const offBytes = Math.ceil(maxBits / 8);
  const pageElems = 2 ** pageBits;

  const ibuf = await file.read(
    iblock,
    6 + sb.offsets + idxElems * elementSize + (ndblkAddrs + nsblkAddrs) * sb.offsets,
  );
  const ic = cursor(ibuf, sb);
  if (ic.sig() !== "EAIB") throw new Error("bad extensible array index block");
  ic.skip(2 + sb.offsets);
  for (let i = 0; i < idxElems; i++) put(table, i, element(ic, filtered, elementSize, sb.offsets));
  const dblkAddrs = Array.from({ length: ndblkAddrs }, () => ic.addr());
  const sblkAddrs = Array.from({ length: nsblkAddrs }, () => ic.addr());

  const readDblock = async (at: number, first: number, nelmts: number) => {
    if (at === UNDEF) return;
    if (nelmts > pageElems) throw new Error("paged extensible array data blocks");
    const prefix = 6 + sb.offsets + offBytes;
    const buf = await file.read(at, prefix + nelmts * elementSize);
    const c = cursor(buf, sb);
    if (c.sig() !== "EADB") throw new Error("bad extensible array data block");
    c.pos = prefix;
    for (let i = 0; i < nelmts; i++) {
      put(table, idxElems + first + i, element(c, filtered, elementSize, sb.offsets));
    }
  };
  try {
    for (let s = 0; s < nsblks; s++) {
      const { ndblks, nelmts, start, startDblk } = sblks[s];
      if (s < iblockSblks) {
        for (let d = 0; d < ndblks; d++) {
          await readDblock(dblkAddrs[startDblk + d], start + d * nelmts, nelmts);
        }
        continue;
      }
      const sAddr = sblkAddrs[s - iblockSblks];
      if (sAddr === UNDEF) continue;
      if (nelmts > pageElems) return "paged extensible array super blocks";
      const prefix = 6 + sb.offsets + offBytes;
      const buf = await file.read(sAddr, prefix + ndblks * sb.offsets);
      const c = cursor(buf, sb);
      if (c.sig() !== "EASB") throw new Error("bad extensible array super block");
      c.pos = prefix;
      const addrs = Array.from({ length: ndblks }, () => c.addr());
      for (let d = 0; d < ndblks; d++) await readDblock(addrs[d], start + d * nelmts, nelmts);
    }
  } catch (e) {
    if ((e as Error).message.startsWith("paged")) return (e as Error).message;
    throw e;
  }
}
