/** Level cells made for one request and kept for the next level up: bounded, shared by all pyramids. */
import type { Cells } from "./cells.ts";

/** Bytes of cells kept in all (a 512 x 512 chunk's cells are 3 MiB). */
const MAX_BYTES = 192 << 20;

const kept = new Map<string, Promise<Cells>>();
const sizes = new Map<string, number>();
let bytes = 0;

/** The cells under `key`, made once by `make` while they are kept (concurrent asks share it). */
export function cachedCells(key: string, make: () => Promise<Cells>): Promise<Cells> {
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key); // Map order is the recency order
    kept.set(key, hit);
    return hit;
  }
  const made = make();
  kept.set(key, made);
  made.then((c) => {
    if (kept.get(key) !== made) return;
    const n = c.values.byteLength + c.counts.byteLength;
    sizes.set(key, n);
    bytes += n;
    while (bytes > MAX_BYTES && kept.size > 1) {
      const oldest = kept.keys().next().value!;
      kept.delete(oldest);
      bytes -= sizes.get(oldest) ?? 0;
      sizes.delete(oldest);
    }
  }, () => kept.delete(key)); // a failed make is not kept
  return made;
}

/** Bytes of cells kept now (for tests and metrics). */
export function cachedCellBytes(): number {
  return bytes;
}
