/** The decoded chunks quick-looks read, kept: moving a slider inside one chunk reads nothing. */
import { decodedChunk } from "../../codecs/stored_chunk.ts";
import { boundedCache } from "../../model/bounded_cache.ts";
import type { ArrayNode, ChunkData, StoredCodec } from "../../model/types.ts";
import type { Transcoder } from "../../zarr/transcoder.ts";
import { itemSize, product } from "../../model/grid.ts";
import { type ChunkSource, chunkSource } from "./slice.ts";

// Decoded chunks, shared by every quick-look: moving a slider inside one chunk reads nothing.
const chunkCache = boundedCache<ChunkData | null>(
  256 << 20,
  (data) => (data && !Array.isArray(data) ? data.byteLength : 64),
);
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
  return (coords) => chunkCache.get(`${id}|${coords}`, () => read(coords));
}
