/** The byte source for a location: a local path, an http(s):// URL (s3:// to come). */
import { type HttpOptions, httpSource } from "./http.ts";
import { localSource } from "./local.ts";
import type { ByteSource } from "./source.ts";

/** How remote locations are reached. */
export interface SourceOptions {
  /** For http(s):// locations. */
  http?: HttpOptions;
}

/** The byte source of `location`. */
export function sourceFor(location: string, options: SourceOptions = {}): ByteSource {
  if (/^https?:\/\//i.test(location)) return httpSource(location, options.http);
  if (/^s3:\/\//i.test(location)) throw new Error(`${location}: s3:// is not supported yet`);
  return localSource(location);
}
