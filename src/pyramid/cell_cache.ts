/**
 * What pyramids keep between requests, bounded: level cells made for one request and kept for the
 * level above, and decoded source chunks kept for the neighbouring level-1 chunks that share them
 * (a source chunk of 24 time steps serves 24 level-1 chunks of one step each).
 */
import { boundedCache } from "../model/bounded_cache.ts";
import type { Cells } from "./cells.ts";

const cells = boundedCache<Cells>(
  32 << 20,
  (c) => c.values.byteLength + c.counts.byteLength + (c.hist?.byteLength ?? 0),
);
const sourceChunks = boundedCache<Uint8Array>(112 << 20, (b) => b.byteLength);

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
