/** The encoded chunks and shards kept in memory: a byte-bounded LRU of their bytes. */
import { type BoundedCache, boundedCache } from "../model/bounded_cache.ts";

/** A cache of encoded bytes by key. */
export type ByteCache = BoundedCache<Uint8Array>;

/** An LRU holding at most `maxBytes` (0 disables caching but still shares in-flight builds). */
export function byteCache(maxBytes: number): ByteCache {
  return boundedCache(maxBytes, (b) => b.length);
}
