/** A byte-bounded LRU of built values that also shares builds already in flight. */

/** A cache of values by key, bounded by the bytes they hold. */
export interface BoundedCache<T> {
  /** The cached value for `key`, or builds it once (concurrent callers share the build). */
  get(key: string, build: () => Promise<T>): Promise<T>;
  /** Whether `key` is held now (a `get` would not build). */
  has(key: string): boolean;
  /** Bytes currently held. */
  readonly size: number;
}

/**
 * An LRU holding at most `maxBytes`, each value weighing `sizeOf(value)` (0 disables caching but
 * still shares in-flight builds). A failed build is not kept.
 */
export function boundedCache<T>(maxBytes: number, sizeOf: (value: T) => number): BoundedCache<T> {
  const entries = new Map<string, { value: T; bytes: number }>();
  const pending = new Map<string, Promise<T>>();
  let size = 0;

  function put(key: string, value: T): void {
    const bytes = sizeOf(value);
    if (bytes > maxBytes) return;
    entries.set(key, { value, bytes });
    size += bytes;
    for (const [k, v] of entries) {
      if (size <= maxBytes) break;
      entries.delete(k);
      size -= v.bytes;
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
        return Promise.resolve(hit.value);
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
