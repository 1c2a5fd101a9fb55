/**
 * An HDF5 file version opened for h5wasm: local files through h5wasm's node build by path (its
 * handle stays on the inode the version pinned), remote ones through its ESM build and the
 * range worker; our own readers read through the file's one source and block cache.
 */
import type { Group as H5Group } from "h5wasm/node";
import { UnavailableError } from "../../model/types.ts";
import { sourceDefaults, sourceFor, type SourceOptions } from "../bytes/source_for.ts";
import { type OpenedFile, openVersion } from "../bytes/opened.ts";
import type { FileReader } from "../bytes/file_reader.ts";
import { type SyncReader, syncReader } from "./sync_reads.ts";
import { checkHdf5Bytes } from "./file_check.ts";
import {
  closeHandle,
  closeRemoteHandle,
  fileHandle,
  type H5File,
  type H5Module,
  h5Module,
  hdf5Reason,
  remoteHandle,
  remoteModule,
} from "./module.ts";

/** One opened version of a file: its module, root, and how its bytes are reached. */
export interface Opened {
  m: H5Module;
  root: H5Group;
  /** The file's name in messages and listings. */
  name: string;
  /** Where its bytes are, for references. */
  url: string;
  size: number;
  version: string;
  /** The h5wasm handle of this version (reopened from an LRU when evicted). */
  handle: () => H5File;
  /** Throws the error a request should answer with when the file changed (or failed). */
  verify: () => void;
  /** Positional reads for our own readers (chunk index, stored attributes). */
  reader: () => Promise<FileReader>;
  close(): Promise<void>;
  /**
   * Closes only our reader: h5wasm's handle, shared by key with any dataset open on the same
   * version, stays in its LRU (a probe must not close the handle a served dataset reads).
   */
  closeReader(): Promise<void>;
}

/** Opens a local file's root group, or throws one line saying why it cannot be read. */
async function openLocal(file: OpenedFile): Promise<Opened> {
  const full = file.source.path!;
  const { version } = file;
  // Every read of this version comes from the inode our reader pinned, or from h5wasm's handle
  // on the same inode (compared when h5wasm opens it by name): a rename changes neither.
  try {
    await checkHdf5Bytes(file.cached, file.size);
    const m = await h5Module();
    return {
      m,
      root: fileHandle(full, version, file.check),
      name: full,
      url: full,
      size: file.size,
      version,
      handle: () => fileHandle(full, version, file.check),
      verify: file.check,
      reader: () => Promise.resolve(file.reader),
      async close() {
        closeHandle(full, version);
        await file.close();
      },
      closeReader: () => file.close(),
    };
  } catch (e) {
    closeHandle(full, version);
    await file.close();
    if (e instanceof UnavailableError) throw e;
    throw new Error(hdf5Reason(e));
  }
}

/**
 * Opens a remote file (http(s):// or s3://): h5wasm reads it synchronously through a worker
 * (its own thread, so its own source and block cache: this thread waits while it reads); our
 * own readers read it through the file's one source and block cache.
 */
async function openRemote(
  file: OpenedFile,
  location: string,
  remote: SourceOptions,
): Promise<Opened> {
  const { version, size, blockSize } = file;
  await checkHdf5Bytes(file.cached, size);
  // The worker starts with the first block we hold: h5wasm's opening reads start there.
  const head = await file.cached.read(0, Math.min(size, blockSize));
  const m = await remoteModule();
  const key = `${file.source.name}|${version}`;
  let sync: SyncReader | undefined;
  const handle = () =>
    remoteHandle(m, key, () => {
      sync = syncReader(location, remote, version, size, blockSize, head);
      return { size, read: sync.read, close: sync.close };
    });
  try {
    return {
      m,
      root: handle(),
      name: file.source.name,
      url: file.source.name,
      size,
      version,
      handle,
      verify: () => {
        if (sync?.failure) throw sync.failure;
      },
      reader: () => Promise.resolve(file.reader),
      async close() {
        closeRemoteHandle(key);
        await file.close();
      },
      closeReader: () => file.close(),
    };
  } catch (e) {
    closeRemoteHandle(key);
    await file.close();
    if (sync?.failure) throw sync.failure;
    throw new Error(hdf5Reason(e));
  }
}

/** A location opened as an HDF5 file: its one source, version and block cache, then h5wasm. */
export async function openAny(
  location: string | OpenedFile,
  remote: SourceOptions = sourceDefaults(),
): Promise<Opened> {
  const file = typeof location === "string"
    ? await openVersion(sourceFor(location, remote), remote, location)
    : location;
  return file.source.path ? openLocal(file) : openRemote(file, file.location, remote);
}
