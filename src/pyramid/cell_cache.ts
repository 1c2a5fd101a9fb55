/**
 * What pyramids keep between requests, bounded: level cells made for one request and kept for the
 * level above, and decoded source chunks kept for the neighbouring level-1 chunks that share them
 * (a source chunk of 24 time steps serves 24 level-1 chunks of one step each).
 */
import type { Cells } from "./cells.ts";

/** A bounded LRU of values made once while kept (concurrent asks share the making). */
class Kept<T> {
  #kept = new Map<string, Promise<T>>();
  #sizes = new Map<string, number>();
  #bytes = 0;
  constructor(readonly maxBytes: number, readonly sizeOf: (v: T) => number) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.#kept.get(key);
    if (hit) {
      this.#kept.delete(key); // Map order is the recency order
      this.#kept.set(key, hit);
      return hit;
    }
    const made = make();
    this.#kept.set(key, made);
    made.then((v) => {
      if (this.#kept.get(key) !== made) return;
      const n = this.sizeOf(v);
      this.#sizes.set(key, n);
      this.#bytes += n;
      while (this.#bytes > this.maxBytes && this.#kept.size > 1) {
        const oldest = this.#kept.keys().next().value!;
        this.#kept.delete(oldest);
        this.#bytes -= this.#sizes.get(oldest) ?? 0;
        this.#sizes.delete(oldest);
      }
    }, () => this.#kept.delete(key)); // a failed make is not kept
    return made;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

const cells = new Kept<Cells>(32 << 20, (c) => c.values.byteLength + c.counts.byteLength);
const sourceChunks = new Kept<Uint8Array>(112 << 20, (b) => b.byteLength);

/** The cells under `key`, made once by `make` while they are kept. */
export function cachedCells(key: string, make: () => Promise<Cells>): Promise<Cells> {
  return cells.get(key, make);
}

/** A source chunk's decoded bytes under `key`, read once by `make` while they are kept. */
export function cachedSourceChunk(
  key: string,
  make: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  return sourceChunks.get(key, make);
}

/** Bytes kept now, cells and source chunks (for tests and metrics). */
export function cachedCellBytes(): number {
  return cells.bytes + sourceChunks.bytes;
}
