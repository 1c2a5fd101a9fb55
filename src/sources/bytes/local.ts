/** Local files as a byte source: stat for the version, pread for the bytes. */
import { resolve } from "node:path";
import { pinFile, statVersion } from "./version.ts";
import type { ByteSource } from "./source.ts";

/** The local file at `path`. */
export function localSource(path: string): ByteSource {
  const full = resolve(path);
  return {
    name: path,
    path: full,
    async stat() {
      try {
        const s = await Deno.stat(full);
        return { version: statVersion(s), size: s.size };
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return null;
        throw new Error(`${path}: ${(e as Error).message}`);
      }
    },
    reader: (version) => pinFile(full, version),
  };
}
