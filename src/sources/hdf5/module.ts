/**
 * The one h5wasm instance: ready, throwing on HDF5 errors, with the compression
 * plugins of h5wasm-plugins on its search path, and an LRU of open files.
 */
import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";

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
const openFiles = new Map<string, H5File>();

/**
 * An open h5wasm handle for `path`, from a small LRU: aggregations of
 * thousands of files must not hold thousands of HDF5 handles (and their
 * caches) in a wasm heap capped at 2 GiB.
 */
export function fileHandle(path: string): H5File {
  let f = openFiles.get(path);
  if (f) {
    openFiles.delete(path);
  } else {
    f = new h5wasm.File(path, "r");
    for (const [p, old] of openFiles) {
      if (openFiles.size < MAX_OPEN_FILES) break;
      openFiles.delete(p);
      old.close();
    }
  }
  openFiles.set(path, f);
  return f;
}

/** Closes the handle of `path`, if open (a file found broken is not kept). */
export function closeHandle(path: string): void {
  const f = openFiles.get(path);
  if (!f) return;
  openFiles.delete(path);
  try {
    f.close();
  } catch { /* already unusable */ }
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
