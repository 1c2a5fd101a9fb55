/**
 * A file's version, and reads pinned to one version: the open file (its inode), not the path.
 * A file replaced by rename keeps serving its old version from the open handle until no
 * request holds it; a file rewritten in place is noticed after each read, and the read fails
 * with `VersionChangedError`, which a request retries on the new version.
 */
import { fstatSync } from "node:fs";
import { UnavailableError } from "../../model/types.ts";
import { type FileReader, fileReader } from "./file_reader.ts";

/** The version of a file from its stat: inode, modification time and size. */
export function statVersion(stat: Deno.FileInfo): string {
  return `${stat.ino ?? 0}-${stat.mtime?.getTime() ?? 0}-${stat.size}`;
}

/** The inode part of a version (what stays when a file is rewritten in place). */
export function versionInode(version: string): string {
  return version.slice(0, version.indexOf("-"));
}

/**
 * A read found its file no longer at the version the request began with. 503 if it reaches a
 * client; the handler first retries the request once the new version is open.
 */
export class VersionChangedError extends UnavailableError {
  override name = "VersionChangedError";
  /** `what` changed while being read. */
  constructor(what: string, detail = "changed while being read") {
    super(503, `${what} ${detail}; retry`, 1);
  }
}

/**
 * The current version of the file at `path`, or null when it is gone. A
 * synchronous stat: 2-4 µs here, where Deno's async stat takes ~130 µs.
 */
export function fileVersion(path: string): Promise<string | null> {
  try {
    return Promise.resolve(fileVersionSync(path));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `fileVersion`, synchronously. */
export function fileVersionSync(path: string): string | null {
  try {
    return statVersion(Deno.statSync(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** One version of a local file, held open: reads come from its inode whatever the path names. */
export interface PinnedFile extends FileReader {
  /** The version of the inode when it was opened. */
  readonly version: string;
  /** Its size then, in bytes. */
  readonly size: number;
  /** Throws `VersionChangedError` when the inode was written since it was opened. */
  check(): void;
}

/** Tries to open the handles of one inode while the path is being renamed over. */
const PIN_TRIES = 3;

/**
 * Opens the file `path` names now and pins that inode. `expected`, when given, is the version
 * the caller saw: a file that changed since then is a `VersionChangedError`, not a misread.
 */
export async function pinFile(path: string, expected?: string): Promise<PinnedFile> {
  for (let attempt = 1;; attempt++) {
    const reader = await fileReader(path);
    // A Deno handle too, for its fstat: 0.7 µs, where a path stat is 2 µs and node's fstatSync
    // 13 µs. Both must be the same inode (a rename may fall between the two opens).
    let stat: Deno.FsFile;
    try {
      stat = await Deno.open(path);
    } catch (e) {
      await reader.close();
      throw e;
    }
    const first = stat.statSync();
    const release = async () => {
      stat.close();
      await reader.close();
    };
    if (String(first.ino) !== String(fstatSync(reader.fd).ino)) {
      await release();
      if (attempt < PIN_TRIES) continue;
      throw new VersionChangedError(path, "was replaced while being opened");
    }
    const version = statVersion(first);
    if (expected !== undefined && version !== expected) {
      await release();
      throw new VersionChangedError(path);
    }
    const check = () => {
      if (statVersion(stat.statSync()) !== version) throw new VersionChangedError(path);
    };
    // A file cut short by a writer: retried on the new version, not a 500.
    const uncut = <T>(read: Promise<T>): Promise<T> =>
      read.catch((e) => {
        check();
        throw e;
      });
    return {
      version,
      size: first.size,
      check,
      async read(offset, length) {
        const bytes = await uncut(reader.read(offset, length));
        check();
        return bytes;
      },
      // Checked before `use` sees the bytes: a rewrite under the read is never sent.
      lend: (offset, length, use) =>
        uncut(reader.lend!(offset, length, (bytes) => {
          check();
          return use(bytes);
        })),
      close: release,
    };
  }
}
