/**
 * The one h5wasm instance: ready, throwing on HDF5 errors, with the compression
 * plugins of h5wasm-plugins on its search path, and an LRU of open files.
 */
import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";
import { UnavailableError } from "../../model/types.ts";
import { fileVersionSync } from "../version.ts";

/** h5wasm's module, as `h5wasm.ready` gives it. */
export type H5Module = Awaited<typeof h5wasm.ready>;

/** An open h5wasm file. */
export type H5File = InstanceType<typeof h5wasm.File>;

let modulePromise: Promise<H5Module> | undefined;

/** h5wasm, ready and set to throw on HDF5 errors (so no read can return stale data). */
export function h5Module(): Promise<H5Module> {
  modulePromise ??= h5wasm.ready.then((m) => {
    m.activate_throwing_error_handler();
    // blosc, blosc2, bitshuffle, bzip2, lz4, lzf, zfp, zstd (gzip and szip are built in)
    install_local_plugins(m);
    return m;
  });
  return modulePromise;
}

const MAX_OPEN_FILES = 64;
const openFiles = new Map<string, { version: string; file: H5File }>();

/**
 * An open h5wasm handle for version `version` of the file at `path`, from a
 * small LRU: aggregations of thousands of files must not hold thousands of
 * HDF5 handles (and their caches) in a wasm heap capped at 2 GiB. HDF5 shares
 * one cache per inode, so a handle of an older version is closed before the
 * file is opened again; a reader of an older version then gets a 503.
 */
export function fileHandle(path: string, version: string): H5File {
  const entry = openFiles.get(path);
  openFiles.delete(path);
  if (entry?.version === version) {
    openFiles.set(path, entry);
    return entry.file;
  }
  if (entry) close(entry.file);
  const f = new h5wasm.File(path, "r");
  if (fileVersionSync(path) !== version) {
    close(f);
    throw new UnavailableError(503, `${path} changed while being read; retry`, 1);
  }
  for (const [p, old] of openFiles) {
    if (openFiles.size < MAX_OPEN_FILES) break;
    openFiles.delete(p);
    close(old.file);
  }
  openFiles.set(path, { version, file: f });
  return f;
}

function close(f: H5File): void {
  try {
    f.close();
  } catch { /* already unusable */ }
}

/** HDF5 files h5wasm holds open right now (for metrics). */
export function openHandleCount(): number {
  return openFiles.size;
}

/** Closes the handle of `path` (of `version` only, when given), if open. */
export function closeHandle(path: string, version?: string): void {
  const entry = openFiles.get(path);
  if (!entry || (version !== undefined && entry.version !== version)) return;
  openFiles.delete(path);
  close(entry.file);
}

/**
 * One line for an HDF5 error: h5wasm throws the whole HDF5-DIAG stack, whose
 * innermost entries hold the cause ("required filter 'lzo' is not registered").
 */
export function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (!text.includes("HDF5-DIAG")) return text.split("\n")[0];
  const causes = [...text.matchAll(/#\d+: [^\n]* in ([A-Za-z0-9_]+)\(\): ([^\n]*)/g)]
    .map((m) => m[2].trim())
    .filter((c) => c && !/^(unable to|can't|couldn't|not a) (read|open|get|initialize)/.test(c));
  const all = [...text.matchAll(/#\d+: [^\n]* in [A-Za-z0-9_]+\(\): ([^\n]*)/g)].map((m) =>
    m[1].trim()
  );
  return (causes.at(-1) ?? all.at(-1) ?? "HDF5 error").replace(/\s+/g, " ");
}
