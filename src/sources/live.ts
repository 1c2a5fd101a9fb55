/**
 * Datasets whose files change under the server. Before a request uses one,
 * its version (inode, mtime and size of each file) is checked, at most once
 * per interval; a changed file is reopened, and the old version is closed
 * once no request holds it.
 */
import { type Dataset, UnavailableError } from "../model/types.ts";
import { openFile } from "./files.ts";
import { fileVersion, VersionChangedError } from "./bytes/version.ts";

/** How often a file's version is checked at most; measured in docs/live.md. */
export const DEFAULT_CHECK_MS = 1000;

/** How soon files that could not be opened whole are tried again. */
const FAILED_CHECK_MS = 100;

/** Opens tried in one check when the files change while being opened (replaced by rename). */
const OPEN_TRIES = 3;

/** One request's hold on a version of a dataset. */
export interface Lease {
  /** The version the request reads from start to end. */
  readonly dataset: Dataset;
  /** Lets the version be closed once it is superseded. */
  release(): void;
}

/** A dataset that follows its files. */
export interface LiveDataset {
  /** Tells live datasets from static ones. */
  readonly kind: "live";
  /** The store name. */
  readonly name: string;
  /** Where it comes from, for listings. */
  readonly source: string;
  /**
   * The current version for one request: throws `UnavailableError` 404 when
   * the file is gone, 503 while it cannot be read as a whole file.
   */
  acquire(): Promise<Lease>;
  /** What the last version opened left out, and why. */
  warnings(): readonly string[];
  /** False once the files are seen gone (the dataset drops out of listings). */
  present(): boolean;
  /**
   * Forgets the opened version (closed once no request holds it); the next request reopens.
   * With `dataset`, only if that is still the current version (a request found it changed).
   */
  evict?(dataset?: Dataset): void;
}

/** How a live dataset finds its version and opens it. */
export interface LiveSpec {
  /** The store name. */
  name: string;
  /** For listings. */
  source: string;
  /** The current version of the files, or null when they are gone. */
  version(): Promise<string | null>;
  /** Opens the files as they are now. */
  open(): Promise<Dataset>;
  /** Check interval in ms (default 1 s). */
  intervalMs?: number;
}

/** The files changed between the version read before opening and the one after. */
class ChangedWhileOpening extends Error {
  override message = "it changed while being opened";
}

interface Version {
  /** What `spec.version()` said when it was opened. */
  files: string;
  dataset: Dataset;
  refs: number;
  superseded: boolean;
}

function closeLater(v: Version): void {
  if (v.superseded && v.refs === 0) void v.dataset.close?.().catch(() => {});
}

/** A dataset that reopens itself when `spec.version()` changes. */
export function live(spec: LiveSpec): LiveDataset {
  const interval = spec.intervalMs ?? DEFAULT_CHECK_MS;
  let current: Version | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<void> | undefined;
  let failure: UnavailableError | undefined;
  let gone = false;

  async function refresh(): Promise<void> {
    const version = await spec.version();
    if (version === null) {
      gone = true;
      failure = new UnavailableError(404, `${spec.name}: ${spec.source} is gone`);
      return;
    }
    gone = false;
    if (current && current.files === version) {
      failure = undefined;
      return;
    }
    let files: string | null = version;
    for (let attempt = 1;; attempt++) {
      try {
        const dataset = await spec.open();
        const after = await spec.version();
        if (after !== files) {
          await dataset.close?.();
          throw new ChangedWhileOpening();
        }
        const old = current;
        current = { files, dataset, refs: 0, superseded: false };
        failure = undefined;
        if (old) {
          old.superseded = true;
          closeLater(old);
        }
        return;
      } catch (e) {
        // Files replaced again while being opened: their next version is whole, open it now.
        const replaced = e instanceof ChangedWhileOpening || e instanceof VersionChangedError;
        if (replaced && attempt < OPEN_TRIES && (files = await spec.version()) !== null) continue;
        // Half-written files are read again soon, not after a whole interval.
        const reason = e instanceof Error ? e.message : String(e);
        failure = e instanceof UnavailableError ? e : new UnavailableError(503, reason, 1);
        checkedAt = performance.now() - interval + Math.min(interval, FAILED_CHECK_MS);
        return;
      }
    }
  }

  return {
    kind: "live",
    name: spec.name,
    source: spec.source,
    async acquire() {
      const now = performance.now();
      if (now - checkedAt >= interval || (!current && !failure)) {
        checkedAt = now;
        pending ??= refresh().finally(() => (pending = undefined));
      }
      if (pending) await pending;
      if (failure) throw failure;
      const v = current!;
      v.refs++;
      let released = false;
      return {
        dataset: v.dataset,
        release() {
          if (released) return;
          released = true;
          v.refs--;
          closeLater(v);
        },
      };
    },
    warnings: () => current?.dataset.warnings ?? [],
    present: () => !gone,
    evict(dataset) {
      if (!current || (dataset && current.dataset !== dataset)) return;
      current.superseded = true;
      closeLater(current);
      current = undefined;
      checkedAt = -Infinity;
    },
  };
}

/** Options for a live file. */
export interface LiveFileOptions {
  /** The store name; default the file name without its extension. */
  name?: string;
  /** Check interval in ms (default 1 s). */
  intervalMs?: number;
  /** Target bytes per chunk where the file does not chunk its data. */
  chunkBytes?: number;
}

/** A file served as it is now: reopened when its inode, mtime or size changes. */
export function liveFile(path: string, name: string, options: LiveFileOptions = {}): LiveDataset {
  return live({
    name,
    source: path,
    version: () => fileVersion(path),
    open: () => openFile(path, { name, chunkBytes: options.chunkBytes }),
    intervalMs: options.intervalMs,
  });
}
