/**
 * A block cache over a reader, for the many small reads of opening a file: reads are served
 * from fixed-size blocks, missing neighbouring blocks are fetched with one read, and a bounded
 * LRU keeps the rest. Remote opening is a few large reads instead of many small ones.
 */
import type { FileReader } from "./file_reader.ts";

/** Block cache settings. */
export interface BlockCacheOptions {
  /** Bytes per block (default 1 MiB; 1-4 MiB suits object stores). */
  blockSize?: number;
  /** Bytes kept at most (default 16 MiB). */
  maxBytes?: number;
  /** The first bytes of the file, already read elsewhere (they become the first blocks). */
  head?: Uint8Array;
}

/** `reader` over a file of `size` bytes, read a block at a time and cached. */
export function blockCached(
  reader: FileReader,
  size: number,
  options: BlockCacheOptions = {},
): FileReader {
  const block = options.blockSize ?? 1 << 20;
  const maxBlocks = Math.max(1, Math.floor((options.maxBytes ?? 16 << 20) / block));
  const blocks = new Map<number, Promise<Uint8Array>>();
  const head = options.head;
  for (let i = 0; head && (i + 1) * block <= head.length; i++) {
    blocks.set(i, Promise.resolve(head.subarray(i * block, (i + 1) * block)));
  }
  // A short file held whole.
  if (head && head.length === size && head.length % block !== 0) {
    const last = Math.floor(head.length / block);
    blocks.set(last, Promise.resolve(head.subarray(last * block)));
  }

  function remember(i: number, p: Promise<Uint8Array>): void {
    blocks.set(i, p);
    p.catch(() => blocks.delete(i)); // a failed read is not kept
    while (blocks.size > maxBlocks) blocks.delete(blocks.keys().next().value!);
  }

  /** Blocks first..last: held ones, and reads of the missing, one read per run of neighbours. */
  function fetchBlocks(first: number, last: number): Promise<Uint8Array>[] {
    const out: Promise<Uint8Array>[] = [];
    let i = first;
    while (i <= last) {
      if (blocks.has(i)) {
        const hit = blocks.get(i)!;
        blocks.delete(i); // re-insert: Map order is the recency order
        blocks.set(i, hit);
        out.push(hit);
        i++;
        continue;
      }
      let j = i;
      while (j + 1 <= last && !blocks.has(j + 1)) j++;
      const start = i * block;
      const end = Math.min(size, (j + 1) * block);
      const run = reader.read(start, end - start);
      for (let k = i; k <= j; k++) {
        const from = (k - i) * block;
        const part = run.then((b) => b.subarray(from, Math.min(b.length, from + block)));
        remember(k, part);
        out.push(part);
      }
      i = j + 1;
    }
    return out;
  }

  return {
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new Error(
          `read of ${length} bytes at ${offset} lies outside the file (${size} bytes)`,
        );
      }
      const first = Math.floor(offset / block);
      const last = Math.floor((offset + length - 1) / block);
      const parts = await Promise.all(fetchBlocks(first, last));
      if (parts.length === 1) {
        const at = offset - first * block;
        return parts[0].slice(at, at + length);
      }
      const out = new Uint8Array(length);
      let pos = 0;
      for (let k = 0; k < parts.length; k++) {
        const base = (first + k) * block;
        const from = Math.max(offset, base) - base;
        const to = Math.min(offset + length, base + block) - base;
        out.set(parts[k].subarray(from, to), pos);
        pos += to - from;
      }
      return out;
    },
    close: () => reader.close(),
  };
}
