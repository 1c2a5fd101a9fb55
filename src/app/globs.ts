/** File patterns of config files: `*` and `?` per path segment, locally or in an S3 bucket. */
import { isAbsolute, join } from "node:path";
import { isRemote } from "../sources/bytes/source.ts";
import { displayUrl } from "../sources/bytes/http.ts";
import { listS3, parseS3 } from "../sources/bytes/s3.ts";
import { sourceDefaults, type SourceOptions } from "../sources/bytes/source_for.ts";

/** An s3:// pattern's keys, listed from the longest prefix without wildcards; URLs as they are. */
async function expandRemote(pattern: string, remote: SourceOptions): Promise<string[]> {
  if (!/[*?]/.test(pattern)) return [pattern];
  if (!/^s3:\/\//i.test(pattern)) {
    throw new Error(`${displayUrl(pattern)}: wildcards need a listing: only s3:// has one`);
  }
  const { bucket, key } = parseS3(pattern);
  const prefix = key.slice(0, key.search(/[*?]/));
  const res = key.split("/").map(globRegex);
  const keys = await listS3(bucket, prefix, remote.s3);
  return keys.filter((url) => {
    const parts = parseS3(url).key.split("/");
    return parts.length === res.length && parts.every((p, i) => res[i].test(p));
  }).sort();
}

function globRegex(segment: string): RegExp {
  let re = "";
  for (const ch of segment) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files matching `pattern` (`*` and `?` in any path segment, no `**`),
 * relative to `base`, sorted; a pattern without wildcards is returned as is.
 */
export async function expandGlob(
  pattern: string,
  base: string,
  remote: SourceOptions = sourceDefaults(),
): Promise<string[]> {
  if (isRemote(pattern)) return await expandRemote(pattern, remote);
  const full = isAbsolute(pattern) ? pattern : join(base, pattern);
  if (!/[*?]/.test(full)) return [full];
  const parts = full.split("/");
  let paths = [parts[0] === "" ? "/" : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === "") continue;
    if (!/[*?]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globRegex(part);
    const next: string[] = [];
    for (const dir of paths) {
      try {
        for await (const entry of Deno.readDir(dir)) {
          if (re.test(entry.name)) next.push(join(dir, entry.name));
        }
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
      }
    }
    paths = next;
  }
  return paths.sort();
}
