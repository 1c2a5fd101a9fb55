/** The decoded chunks quick-looks read, kept: moving a slider inside one chunk reads nothing. */
import { decodedChunk } from "../../codecs/stored_chunk.ts";
import type { ArrayNode, ChunkData, StoredCodec } from "../../model/types.ts";
import type { Transcoder } from "../../zarr/transcoder.ts";
import { itemSize, product } from "../../model/grid.ts";
import { type ChunkSource, chunkSource } from "./slice.ts";

// Decoded chunks, shared by every quick-look: moving a slider inside one chunk reads nothing.
const CHUNK_BUDGET = 256 << 20;
const chunkCache = new Map<string, { data: ChunkData | null; bytes: number }>();
let cachedBytes = 0;
const arrayIds = new WeakMap<ArrayNode, number>();
let nextId = 0;

/**
 * Chunks decoded on the store's workers when the source hands over stored bytes (inflating a
 * large field's chunks is most of a cold quick-look), else by the source itself.
 */
function decodedSource(array: ArrayNode, transcoder: Transcoder | undefined): ChunkSource {
  const viaSource = chunkSource(array);
  const stored = array.stored;
  if (!stored || !transcoder || array.dtype.kind === "string") return viaSource;
  const length = product(array.chunks) * itemSize(array.dtype);
  const decode = (codecs: readonly StoredCodec[], bytes: Uint8Array) =>
    transcoder.transcode(codecs, bytes, "none", length);
  return async (coords) =>
    await decodedChunk(stored, coords, length, decode) ?? await viaSource(coords);
}

/** `array`'s chunks decoded (on `transcoder` when given), through the shared cache. */
export function cachedSource(array: ArrayNode, transcoder: Transcoder | undefined): ChunkSource {
  let id = arrayIds.get(array);
  if (id === undefined) arrayIds.set(array, id = nextId++);
  const read = decodedSource(array, transcoder);
  return async (coords) => {
    const key = `${id}|${coords}`;
    const hit = chunkCache.get(key);
    if (hit) {
      chunkCache.delete(key);
      chunkCache.set(key, hit);
      return hit.data;
    }
    const data = await read(coords);
    const bytes = data && !Array.isArray(data) ? data.byteLength : 64;
    chunkCache.set(key, { data, bytes });
    cachedBytes += bytes;
    for (const [k, v] of chunkCache) {
      if (cachedBytes <= CHUNK_BUDGET) break;
      chunkCache.delete(k);
      cachedBytes -= v.bytes;
    }
    return data;
  };
}
