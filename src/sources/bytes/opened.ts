/**
 * One version of one file, opened once, in one place: its source, its pinned reader and the one
 * block cache over it. Every format reader starts from it.
 */
import { blockCached } from "./block_cache.ts";
import type { FileReader } from "./file_reader.ts";
import type { ByteSource } from "./source.ts";
import { readStreamInto, withReadBuffer } from "./read_buffers.ts";
import { VersionChangedError } from "./version.ts";
import { UnavailableError } from "../../model/types.ts";
import { blockSizeOf, sourceDefaults, type SourceOptions } from "./source_for.ts";

/** Reads this small or smaller go through the block cache (headers, index nodes). */
const SMALL_READ = 64 << 10;

/** One version of a file, ready to read. */
export interface OpenedFile {
  /** Where its bytes come from (one source per file). */
  readonly source: ByteSource;
  /** The location it was opened from (a path or a URL, credentials and all). */
  readonly location: string;
  /** The version every read is pinned to. */
  readonly version: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The block size of the cache (`--block-size`). */
  readonly blockSize: number;
  /** Small reads through the file's one block cache, larger ones straight through. */
  readonly reader: FileReader;
  /** Reads through the block cache only (what a format's header is read with). */
  readonly cached: FileReader;
  /** Throws `VersionChangedError` when the version is no longer whole (local files). */
  check(): void;
  /** Releases the reader and the cache. */
  close(): Promise<void>;
}

/** Opens the current version of `source`; throws one line when the file is not there. */
export async function openVersion(
  source: ByteSource,
  options: SourceOptions = sourceDefaults(),
  location: string = source.path ?? source.name,
): Promise<OpenedFile> {
  const stat = await source.stat();
  if (!stat) throw new Error(`no such file${source.path ? "" : " (404)"}`); // callers name it
  const { version, size } = stat;
  const blockSize = blockSizeOf(options);
  const direct = await source.reader(version);
  const blocks = blockCached(direct, size, { blockSize });
  // A cache hit reads nothing, so nothing would notice a file rewritten in place: the pinned
  // version is checked after it too (an fstat, under a µs), as after every direct read.
  const cached: FileReader = {
    ...blocks,
    async read(offset, length) {
      const bytes = await blocks.read(offset, length);
      direct.check?.();
      return bytes;
    },
  };
  const reader: FileReader = {
    read: (offset, length) =>
      length <= SMALL_READ ? cached.read(offset, length) : direct.read(offset, length),
    ...(direct.lend ? { lend: direct.lend.bind(direct) } : direct.stream
      // A remote range read straight into a kept buffer: no chunk allocated, nothing copied.
      ? { lend: (offset, length, use) => lendFromStream(source.name, direct, offset, length, use) }
      : {}),
    ...(direct.stream ? { stream: direct.stream.bind(direct) } : {}),
    ...(direct.check ? { check: direct.check.bind(direct) } : {}),
    close: () => direct.close(),
  };
  return {
    source,
    location,
    version,
    size,
    blockSize,
    reader,
    cached,
    check: () => direct.check?.(),
    close: () => direct.close(),
  };
}

/** `length` bytes at `offset` of a streaming reader, read into a lent buffer for `use`. */
function lendFromStream<T>(
  name: string,
  direct: FileReader,
  offset: number,
  length: number,
  use: (bytes: Uint8Array) => T | Promise<T>,
): Promise<T> {
  return withReadBuffer(length, async (into) => {
    try {
      return await readStreamInto(await direct.stream!(offset, length), into);
    } catch (e) {
      if (e instanceof VersionChangedError || e instanceof UnavailableError) throw e;
      throw new UnavailableError(502, `${name}: ${(e as Error).message} at ${offset}`);
    }
  }, use);
}
