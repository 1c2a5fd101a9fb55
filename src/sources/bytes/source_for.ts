/** The byte source for a location: a local path, an http(s):// URL, or s3://bucket/key. */
import { type HttpOptions, httpSource } from "./http.ts";
import { localSource } from "./local.ts";
import { type S3Options, s3Source } from "./s3.ts";
import type { ByteSource } from "./source.ts";

/** How remote locations are reached. */
export interface SourceOptions {
  /** For http(s):// locations (headers such as a bearer token). */
  http?: HttpOptions;
  /** For s3:// locations. */
  s3?: S3Options;
  /** Bytes per block of the metadata block cache (1-4 MiB suit object stores; default 1 MiB). */
  blockSize?: number;
}

/** The block size remote metadata is read in. */
export function blockSizeOf(options: SourceOptions = defaults): number {
  return options.blockSize ?? defaults.blockSize ?? 1 << 20;
}

let defaults: SourceOptions = {};

/** Sets the process-wide remote settings (the CLI's --s3-endpoint, --s3-anonymous). */
export function setSourceDefaults(options: SourceOptions): void {
  defaults = options;
}

/** The process-wide remote settings. */
export function sourceDefaults(): SourceOptions {
  return defaults;
}

/** The byte source of `location` (a path, http(s):// or s3://). */
export function sourceFor(location: string, options: SourceOptions = defaults): ByteSource {
  if (/^https?:\/\//i.test(location)) return httpSource(location, options.http);
  if (/^s3:\/\//i.test(location)) return s3Source(location, options.s3);
  return localSource(location);
}
