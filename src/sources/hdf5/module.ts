/**
 * The one h5wasm instance: ready, throwing on HDF5 errors, with the compression
 * plugins of h5wasm-plugins on its search path, and an LRU of open files.
 */
import h5wasm from "h5wasm/node";
import { install_local_plugins, install_plugins } from "h5wasm-plugins";
import { fileVersionSync, VersionChangedError, versionInode } from "../bytes/version.ts";

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
const openFiles = new Map<string, { path: string; version: string; file: H5File }>();

/**
 * An open h5wasm handle for version `version` of the file at `path`, from a
 * small LRU: aggregations of thousands of files must not hold thousands of
 * HDF5 handles (and their caches) in a wasm heap capped at 2 GiB. A handle keeps
 * reading its inode after the path is renamed over, so versions replaced by rename
 * stay open side by side. HDF5 shares one cache per inode, so a handle of the same
 * inode at an older version (rewritten in place) is closed before it is opened again.
 * `check` throws when the pinned inode itself changed.
 */
export function fileHandle(path: string, version: string, check: () => void = () => {}): H5File {
  const key = `${version}|${path}`;
  const entry = openFiles.get(key);
  if (entry) {
    openFiles.delete(key);
    openFiles.set(key, entry);
    return entry.file;
  }
  for (const [k, old] of openFiles) {
    if (old.path === path && versionInode(old.version) === versionInode(version)) {
      openFiles.delete(k);
      close(old.file);
    }
  }
  const f = new h5wasm.File(path, "r");
  // The path must still name the inode this version pinned (h5wasm opens by name).
  const now = fileVersionSync(path);
  if (now === null || versionInode(now) !== versionInode(version)) {
    close(f);
    throw new VersionChangedError(path, "was replaced");
  }
  try {
    check();
  } catch (e) {
    close(f);
    throw e;
  }
  for (const [k, old] of openFiles) {
    if (openFiles.size < MAX_OPEN_FILES) break;
    openFiles.delete(k);
    close(old.file);
  }
  openFiles.set(key, { path, version, file: f });
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

/** Closes the handles of `path` (of `version` only, when given), if open. */
export function closeHandle(path: string, version?: string): void {
  for (const [k, entry] of openFiles) {
    if (entry.path !== path || (version !== undefined && entry.version !== version)) continue;
    openFiles.delete(k);
    close(entry.file);
  }
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

// Remote files: h5wasm's ESM build (its file system is Emscripten's MEMFS, where a file can
// have our own read function; the node build reads host paths only), loaded on first use.
// The plugins are copied into its MEMFS (on this build, install_plugins writes there).
let remotePromise: Promise<H5Module> | undefined;
let remoteH5: typeof h5wasm | undefined;

/** The h5wasm module that reads remote files. */
export function remoteModule(): Promise<H5Module> {
  remotePromise ??= import("h5wasm").then(async (esm) => {
    remoteH5 = esm as unknown as typeof h5wasm;
    const m = await esm.ready;
    m.activate_throwing_error_handler();
    (m as unknown as { FS: EmscriptenFS }).FS.mkdirTree("/remote");
    await install_plugins(m, undefined, "/plugins");
    return m as unknown as H5Module;
  });
  return remotePromise;
}

/** What we use of Emscripten's FS. */
interface EmscriptenFS {
  mkdirTree(path: string): void;
  createFile(parent: string, name: string, props: null, read: boolean, write: boolean): FSNode;
  unlink(path: string): void;
}
interface FSNode {
  stream_ops: Record<string, unknown>;
  usedBytes: number;
  contents: unknown;
}

/** Synchronous reads of a remote file's bytes. */
export interface RemoteBytes {
  /** Bytes. */
  size: number;
  /** Copies up to `length` bytes at `position` into `into` at `at`; the count read. */
  read(into: Uint8Array, at: number, length: number, position: number): number;
}

const remoteFiles = new Map<string, { file: H5File; node: string; release: () => void }>();
let remoteCount = 0;

/**
 * An h5wasm handle of the remote file `key` (its name and version), from an LRU like
 * `fileHandle`'s: its bytes come from `bytes()` (made on first open; released on close).
 */
export function remoteHandle(
  m: H5Module,
  key: string,
  bytes: () => RemoteBytes & { close(): void },
): H5File {
  const entry = remoteFiles.get(key);
  if (entry) {
    remoteFiles.delete(key);
    remoteFiles.set(key, entry);
    return entry.file;
  }
  const fs = (m as unknown as { FS: EmscriptenFS }).FS;
  const source = bytes();
  const name = `f${remoteCount++}`;
  const node = fs.createFile("/remote", name, null, true, false);
  Object.defineProperty(node, "usedBytes", { get: () => source.size });
  const llseek = node.stream_ops.llseek;
  node.stream_ops = {
    ...node.stream_ops,
    llseek,
    read: (_s: unknown, buf: Uint8Array, off: number, len: number, pos: number) =>
      source.read(buf, off, len, pos),
  };
  const file = new remoteH5!.File(`/remote/${name}`, "r");
  const release = () => {
    close(file);
    try {
      fs.unlink(`/remote/${name}`);
    } catch { /* gone */ }
    source.close();
  };
  for (const [k, old] of remoteFiles) {
    if (remoteFiles.size < MAX_OPEN_FILES) break;
    remoteFiles.delete(k);
    old.release();
  }
  remoteFiles.set(key, { file, node: name, release });
  return file;
}

/** Closes the remote handle `key`, if open. */
export function closeRemoteHandle(key: string): void {
  const entry = remoteFiles.get(key);
  remoteFiles.delete(key);
  entry?.release();
}
