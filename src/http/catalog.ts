/**
 * What the server publishes, by store name: fixed stores, and live datasets
 * whose store is made anew for each version of their files. Names may contain
 * `/`; a request goes to the longest name that prefixes its path.
 */
import type { Dataset } from "../model/types.ts";
import type { LiveDataset } from "../sources/live.ts";
import { createStore, type Store, type StoreOptions } from "../zarr/store.ts";
import type { View } from "./clients.ts";
import { hasPyramid } from "../pyramid/pyramid.ts";

/** One published store. */
export interface Entry {
  /** The store name (may contain `/`). */
  readonly name: string;
  /** Where it comes from, for listings. */
  readonly source: string;
  /** Its files may change: chunks are revalidated, never cached for long. */
  readonly live: boolean;
  /** Marked as never changing: chunks and metadata may be cached for a year. */
  readonly immutable: boolean;
  /** What it left out, and why. */
  warnings(): readonly string[];
  /** False while its files are gone (it drops out of listings). */
  present(): boolean;
  /** Serves clients different views (answers carry `Vary: User-Agent`). */
  readonly varies: boolean;
  /** The store for one request in `view`; `release` once the response is made. */
  open(view: View): Promise<{ store: Store; release(): void }>;
  /** A request found `store`'s files changed under it: the next `open` checks them first. */
  changed(store: Store): void;
  /** Whether it has a pyramid at /pyramid/NAME/ (undefined until a live file was opened). */
  hasPyramid(): boolean | undefined;
}

/** Store options per view: "auto" pass-through makes a stored view and a compatible one. */
export function viewOptions(options: StoreOptions): Record<View, StoreOptions> {
  if ((options.passthrough ?? "auto") !== "auto") return { stored: options, compat: options };
  return {
    stored: { ...options, passthrough: "all" },
    compat: { ...options, passthrough: "compat" },
  };
}

/** The published stores as they are now. */
export interface Catalog {
  /** The current entries by name (a directory may have grown since the last call). */
  entries(): Promise<ReadonlyMap<string, Entry>>;
}

/** An entry for a dataset that never changes (one store, or one per view). */
export function fixedEntry(stores: Store | Record<View, Store>, immutable = false): Entry {
  const byView = "get" in stores ? { stored: stores, compat: stores } : stores;
  const leases = {
    stored: { store: byView.stored, release() {} },
    compat: { store: byView.compat, release() {} },
  };
  const store = byView.stored;
  return {
    name: store.dataset.name,
    source: store.dataset.source,
    live: false,
    immutable,
    varies: byView.stored !== byView.compat,
    warnings: () => store.dataset.warnings,
    present: () => true,
    open: (view) => Promise.resolve(leases[view]),
    changed() {},
    hasPyramid: () => hasPyramid(store.dataset),
  };
}

/** An entry for a live dataset: stores per version (and view), kept while the version is current. */
export function liveEntry(live: LiveDataset, options: StoreOptions, immutable = false): Entry {
  const views = viewOptions(options);
  const stores = new WeakMap<Dataset, Partial<Record<View, Store>>>();
  let pyramid: boolean | undefined;
  return {
    name: live.name,
    source: live.source,
    live: !immutable,
    immutable,
    varies: views.stored !== views.compat,
    warnings: () => live.warnings(),
    present: () => live.present(),
    async open(view) {
      const lease = await live.acquire();
      let made = stores.get(lease.dataset);
      if (!made) {
        // Once a version (it walks the root's arrays): not on every request.
        stores.set(lease.dataset, made = {});
        pyramid = hasPyramid(lease.dataset);
      }
      const store = made[view] ??= createStore(lease.dataset, views[view]);
      return { store, release: lease.release };
    },
    changed: (store) => live.evict?.(store.dataset),
    hasPyramid: () => pyramid,
  };
}

/** The first path segment the server keeps for itself (pages' script, style, quick-looks). */
export const RESERVED = "_zarrflask";

/** Where every dataset is served again with Zarr v2 documents only: `/v2/NAME/`. */
export const V2_PREFIX = "/v2/";

/** Paths the server answers before any dataset: the operations endpoints, and `/v2/NAME/`. */
const OPERATIONS = new Set(["health", "metrics", "v2", "pyramid"]);

/** Whether a dataset may not take `name` (the server answers those paths first anyway). */
export function isReserved(name: string): boolean {
  return name === RESERVED || name.startsWith(`${RESERVED}/`) || OPERATIONS.has(name) ||
    name.startsWith("v2/") || name.startsWith("pyramid/");
}

/** A catalog of a fixed list of entries; throws when two share a name or take a reserved one. */
export function fixedCatalog(entries: Iterable<Entry>): Catalog {
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new Error(`two datasets are named "${e.name}"`);
    if (isReserved(e.name)) {
      throw new Error(
        `dataset name "${e.name}" is reserved (/health, /metrics, /v2/, /pyramid/ and /${RESERVED}/ are ` +
          `the server's own)`,
      );
    }
    byName.set(e.name, e);
  }
  return { entries: () => Promise.resolve(byName) };
}

/** The catalogs' entries together; the first catalog wins a name both have. */
export function joinCatalogs(catalogs: Catalog[]): Catalog {
  if (catalogs.length === 1) return catalogs[0];
  return {
    async entries() {
      const out = new Map<string, Entry>();
      for (const c of catalogs) {
        for (const [name, e] of await c.entries()) if (!out.has(name)) out.set(name, e);
      }
      return out;
    },
  };
}

/**
 * The entry whose name is the longest prefix of `path` (no leading slash),
 * ending at a segment boundary, and the key that follows it.
 */
export function findEntry(
  entries: ReadonlyMap<string, Entry>,
  path: string,
): { entry: Entry; key: string } | undefined {
  for (let end = path.length; end > 0; end = path.lastIndexOf("/", end - 1)) {
    const entry = entries.get(path.slice(0, end));
    if (entry) return { entry, key: path.slice(end + 1) };
  }
  return undefined;
}
