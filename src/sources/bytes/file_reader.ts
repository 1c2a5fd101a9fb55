/** Positional reads of a local file: what every byte source's readers are. */
import { open as openFile } from "node:fs/promises";

/** Positional reads of one file. */
export interface FileReader {
  /** `length` bytes at `offset` (all of them, or it throws). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The same bytes as a stream, as they arrive (remote readers). */
  stream?(offset: number, length: number): Promise<ReadableStream<Uint8Array>>;
  /** Releases the file. */
  close(): Promise<void>;
  /**
   * Throws `VersionChangedError` when the version read is no longer whole (a local file
   * rewritten in place); remote reads carry their own pin (If-Match), so they have none.
   */
  check?(): void;
  /** A local file's path and the version read, for bodies Deno can send from the file itself. */
  readonly file?: LocalFile;
}

/** A local file at one version. */
export interface LocalFile {
  /** Its absolute path. */
  readonly path: string;
  /** Its version (inode-mtime-size), to check that the path still names it. */
  readonly version: string;
}

let openReaders = 0;

/** Files open for positional reads right now (for metrics). */
export function openReaderCount(): number {
  return openReaders;
}

/** Opens `path` for positional reads (pread: safe under concurrent requests). */
export async function fileReader(path: string): Promise<FileReader & { fd: number }> {
  const handle = await openFile(path, "r");
  openReaders++;
  let closed = false;
  return {
    fd: handle.fd,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) throw new Error(`unexpected end of file at ${offset + got}`);
        got += bytesRead;
      }
      return buf;
    },
    close() {
      if (!closed) openReaders--;
      closed = true;
      return handle.close();
    },
  };
}
