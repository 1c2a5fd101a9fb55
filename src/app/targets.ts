/** The datasets named on the command line: files (live unless immutable) and directories. */
import { basename, extname } from "node:path";
import { liveDirectory } from "../sources/directory.ts";
import { locationVersion, openFile } from "../sources/files.ts";
import { isRemote, locationBase } from "../sources/bytes/source.ts";
import { displayUrl } from "../sources/bytes/http.ts";
import { live } from "../sources/live.ts";
import { coalesce } from "../sources/virtual/rechunk.ts";
import type { Failure } from "../http/operations.ts";
import type { Servable } from "./servable.ts";

/** Splits "NAME=PATH" (NAME without slashes) from a plain path. */
export function parseTarget(arg: string): { name: string; path: string } {
  const eq = arg.indexOf("=");
  if (eq > 0 && !arg.slice(0, eq).includes("/")) {
    return { name: arg.slice(0, eq), path: arg.slice(eq + 1) };
  }
  const base = isRemote(arg) ? locationBase(arg) : basename(arg);
  return { name: basename(base, extname(base)), path: arg };
}

/** How files given on the command line are published. */
export interface FileMode {
  coalesceBytes?: number;
  /** Open once and never look again (for archives that never change). */
  immutable: boolean;
  intervalMs: number;
  /** A replica of a parallel server: the first process has said it all. */
  quiet: boolean;
}

/**
 * The datasets of the command line: each file live (reopened when it changes)
 * unless immutable, each directory as every netCDF/HDF5 file under it. A file
 * that cannot be opened now is named and skipped.
 */
export async function openAll(
  args: string[],
  failures: Failure[],
  mode: FileMode,
): Promise<Servable[]> {
  const out: Servable[] = [];
  for (const arg of args) {
    const { name, path } = parseTarget(arg);
    const isDir = !isRemote(path) &&
      await Deno.stat(path).then((s) => s.isDirectory, () => false);
    if (isDir) {
      const prefix = arg.includes("=") ? name : undefined;
      const dir = liveDirectory(path, { prefix, intervalMs: mode.intervalMs });
      const t0 = performance.now();
      const n = (await dir.datasets()).length;
      const ms = (performance.now() - t0).toFixed(0);
      console.error(
        `${path}: ${n} netCDF/HDF5 file(s) found in ${ms} ms, each opened on its first request`,
      );
      out.push(dir);
      continue;
    }
    const open = async () => {
      const ds = await openFile(path, { name });
      return mode.coalesceBytes ? coalesce(ds, mode.coalesceBytes) : ds;
    };
    try {
      if (mode.immutable) {
        const ds = await open();
        if (!mode.quiet) { for (const w of ds.warnings) console.error(`warning: ${name}: ${w}`); }
        out.push(ds);
        continue;
      }
      const ds = live({
        name,
        source: isRemote(path) ? displayUrl(path) : path,
        version: () => locationVersion(path),
        open,
        intervalMs: mode.intervalMs,
      });
      const lease = await ds.acquire();
      lease.release();
      if (!mode.quiet) {
        for (const w of lease.dataset.warnings) console.error(`warning: ${name}: ${w}`);
      }
      out.push(ds);
    } catch (e) {
      const reason = (e as Error).message;
      failures.push({ name, reason });
      if (!mode.quiet) console.error(`error: skipping ${reason}`);
    }
  }
  return out;
}
