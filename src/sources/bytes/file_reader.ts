/** Positional reads of a local file: what every byte source's readers are. */
import { open as openFile } from "node:fs/promises";
import { withReadBuffer } from "./read_buffers.ts";

/** Positional reads of one file. */
export interface FileReader {
  /** `length` bytes at `offset` (all of them, or it throws). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The same bytes in a buffer lent for the length of `use`, which must copy what it keeps
   * (local readers: no fresh allocation per read).
   */
  lend?<T>(offset: number, length: number, use: (bytes: Uint8Array) => T | Promise<T>): Promise<T>;
  /** The same bytes as a stream, as they arrive (remote readers). */
  stream?(offset: number, length: number): Promise<ReadableStream<Uint8Array>>;
  /** Releases the file. */
  close(): Promise<void>;
  /**
   * Throws `VersionChangedError` when the version read is no longer whole (a local file
   * rewritten in place); remote reads carry their own pin (If-Match), so they have none.
   */
  check?(): void;
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
  const fill = async (buf: Uint8Array, offset: number) => {
    for (let got = 0; got < buf.length;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) throw new Error(`unexpected end of file at ${offset + got}`);
      got += bytesRead;
    }
  };
  return {
    fd: handle.fd,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      await fill(buf, offset);
      return buf;
    },
    lend: (offset, length, use) => withReadBuffer(length, (buf) => fill(buf, offset), use),
    close() {
      if (!closed) openReaders--;
      closed = true;
      return handle.close();
    },
  };
}
