/**
 * One byte-source layer under every format: a file's size and version, and reads at an offset
 * pinned to that version. Local files, HTTP(S) servers that answer Range requests, and S3.
 */
import type { FileReader } from "./file_reader.ts";

/** A source's current state. */
export interface SourceStat {
  /** Changes whenever the bytes may have: inode-mtime-size locally, ETag or Last-Modified remotely. */
  version: string;
  /** Bytes. */
  size: number;
}

/** Where a file's bytes come from. */
export interface ByteSource {
  /** The location for messages and listings (never with credentials). */
  readonly name: string;
  /** The local path when the bytes are a local file (h5wasm opens those by path). */
  readonly path?: string;
  /** The current state, or null when the file is gone. */
  stat(): Promise<SourceStat | null>;
  /** Reads of version `version` only: a read after the file changed fails (503, retry). */
  reader(version: string): Promise<FileReader>;
}

/** Whether `location` names a remote file (a URL) rather than a local path. */
export function isRemote(location: string): boolean {
  return /^(https?|s3):\/\//i.test(location);
}

/** The file name of a location, without its directories (and query, for URLs). */
export function locationBase(location: string): string {
  if (!isRemote(location)) return location.split(/[\\/]/).pop() ?? location;
  const path = new URL(location).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
}
