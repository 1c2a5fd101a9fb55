/** A byte-bounded LRU of encoded objects that also shares builds already in flight. */

/** A cache of encoded bytes by key. */
export interface ByteCache {
  /** The cached bytes for `key`, or builds them once (concurrent callers share the build). */
  get(key: string, build: () => Promise<Uint8Array>): Promise<Uint8Array>;
  /** Whether `key` is held now (a `get` would not build). */
  has(key: string): boolean;
  /** Bytes currently held. */
  readonly size: number;
}

/** An LRU holding at most `maxBytes` (0 disables caching but still shares in-flight builds). */
export function byteCache(maxBytes: number): ByteCache {
  const entries = new Map<string, Uint8Array>();
  const pending = new Map<string, Promise<Uint8Array>>();
  let size = 0;

  function put(key: string, value: Uint8Array): void {
    if (value.length > maxBytes) return;
    entries.set(key, value);
    size += value.length;
    for (const [k, v] of entries) {
      if (size <= maxBytes) break;
      entries.delete(k);
      size -= v.length;
    }
  }

  return {
    get size() {
      return size;
    },
    has: (key) => entries.has(key),
    get(key, build) {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key); // re-insert: Map order is the recency order
        entries.set(key, hit);
        return Promise.resolve(hit);
      }
      let p = pending.get(key);
      if (!p) {
        p = build().then((value) => {
          put(key, value);
          return value;
        }).finally(() => pending.delete(key));
        pending.set(key, p);
      }
      return p;
    },
  };
}
