/**
 * A directory tree served as live datasets: every netCDF/HDF5 file under it,
 * named by its path relative to the directory without the extension
 * (`2024/era5_01`). The tree is rescanned at most once per interval (less
 * often when a scan takes longer than a tenth of it); files
 * are opened on their first request, and an LRU bounds how many stay open.
 */
import { extname, join, relative } from "node:path";
import { type Lease, type LiveDataset, liveFile } from "./live.ts";

/** Extensions taken for netCDF and HDF5 files. */
export const DATA_EXTENSIONS: ReadonlySet<string> = new Set([
  ".nc",
  ".nc3",
  ".nc4",
  ".netcdf",
  ".cdf",
  ".h5",
  ".hdf5",
  ".he5",
  ".hdf",
]);

/** The live datasets of a directory as it is now. */
export interface LiveCollection {
  /** Tells collections from datasets. */
  readonly kind: "collection";
  /** Where it comes from. */
  readonly source: string;
  /** The datasets now, rescanning when the interval has passed. */
  datasets(): Promise<LiveDataset[]>;
}

/** Options for a served directory. */
export interface DirectoryOptions {
  /** Prefix for every store name (`prefix/2024/era5_01`); default none. */
  prefix?: string;
  /** How often the tree is rescanned and files rechecked at most, in ms (default 1 s). */
  intervalMs?: number;
  /** Opened datasets kept at most (default 256); the least recently used are closed. */
  maxOpen?: number;
}

async function scan(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = Deno.readDir(dir);
    for await (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory) await scan(path, out);
      else if ((e.isFile || e.isSymlink) && DATA_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        out.push(path);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied)) throw e;
  }
}

/** Every netCDF/HDF5 file under `dir` as a live dataset, following additions and removals. */
export function liveDirectory(dir: string, options: DirectoryOptions = {}): LiveCollection {
  const interval = options.intervalMs ?? 1000;
  const maxOpen = options.maxOpen ?? 256;
  const byPath = new Map<string, LiveDataset>();
  // Most recently used last: the opened datasets the LRU keeps.
  const used = new Map<LiveDataset, () => void>();
  let scannedAt = -Infinity;
  let scanMs = 0;
  let scanning: Promise<void> | undefined;

  function track(path: string, name: string): LiveDataset {
    let evict: () => void = () => {};
    const inner = liveFile(path, name, { intervalMs: interval });
    const ds: LiveDataset = {
      ...inner,
      async acquire(): Promise<Lease> {
        const lease = await inner.acquire();
        used.delete(ds);
        used.set(ds, evict);
        for (const [other, drop] of used) {
          if (used.size <= maxOpen) break;
          used.delete(other);
          drop();
        }
        return lease;
      },
    };
    evict = () => inner.evict?.();
    return ds;
  }

  async function rescan(): Promise<void> {
    const t0 = performance.now();
    const found: string[] = [];
    await scan(dir, found);
    scanMs = performance.now() - t0;
    found.sort();
    const names = new Set<string>();
    const keep = new Set(found);
    for (const path of found) {
      if (byPath.has(path)) {
        names.add(byPath.get(path)!.name);
        continue;
      }
      const rel = relative(dir, path);
      let name = rel.slice(0, rel.length - extname(rel).length);
      if (names.has(name)) name = rel; // a.nc beside a.h5: the second keeps its extension
      if (options.prefix) name = `${options.prefix}/${name}`;
      names.add(name);
      byPath.set(path, track(path, name));
    }
    for (const [path, ds] of byPath) {
      if (keep.has(path)) continue;
      byPath.delete(path);
      used.get(ds)?.();
      used.delete(ds);
    }
  }

  return {
    kind: "collection",
    source: dir,
    async datasets() {
      const now = performance.now();
      // A big tree is rescanned less often, so scanning never takes more than a tenth of the time.
      if (now - scannedAt >= Math.max(interval, 10 * scanMs)) {
        scannedAt = now;
        scanning ??= rescan().finally(() => (scanning = undefined));
      }
      if (scanning) await scanning;
      return [...byPath.values()];
    },
  };
}
