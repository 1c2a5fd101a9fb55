/**
 * Synchronous reads of remote files, for h5wasm (whose file reads are synchronous): the calling
 * thread posts a read to a worker and blocks on Atomics.wait until the worker has fetched the
 * bytes (through a block cache) and notified it. The remote server must live in another process:
 * the caller's own event loop is stopped while it waits.
 */
import { VersionChangedError } from "../bytes/version.ts";
import { UnavailableError } from "../../model/types.ts";
import type { SourceOptions } from "../bytes/source_for.ts";

/** Synchronous reads of one version of one remote file. */
export interface SyncReader {
  /** Copies up to `length` bytes at `position` into `into` at `at`; the count read. */
  read(into: Uint8Array, at: number, length: number, position: number): number;
  /** The failure of the last read, as the error a request should answer with. */
  readonly failure?: Error;
  close(): void;
}

/** Milliseconds a read may take before it fails (retries included). */
const READ_TIMEOUT_MS = 180_000;

let worker: Worker | undefined;
let readers = 0;
let nextId = 0;

/** A synchronous reader of `location` at `version` (of `size` bytes). */
export function syncReader(
  location: string,
  options: SourceOptions,
  version: string,
  size: number,
  blockSize = 1 << 20,
  head?: Uint8Array,
): SyncReader {
  worker ??= new Worker(new URL("./range_worker.ts", import.meta.url), { type: "module" });
  readers++;
  const id = nextId++;
  const w = worker;
  w.postMessage({ kind: "open", id, location, options, version, size, blockSize, head });
  let failure: Error | undefined;
  return {
    get failure() {
      return failure;
    },
    read(into, at, length, position) {
      const n = Math.max(0, Math.min(length, size - position));
      if (n === 0) return 0;
      const sab = new SharedArrayBuffer(8 + Math.max(n, 1024));
      const head = new Int32Array(sab, 0, 2);
      w.postMessage({ kind: "read", id, offset: position, length: n, sab });
      if (Atomics.wait(head, 0, 0, READ_TIMEOUT_MS) === "timed-out") {
        failure = new UnavailableError(504, `${location}: no answer in ${READ_TIMEOUT_MS} ms`);
        throw failure;
      }
      const got = new Uint8Array(sab, 8, head[1]);
      if (head[0] === 2) {
        const { status, message, changed } = JSON.parse(new TextDecoder().decode(got));
        failure = changed ? new VersionChangedError(location) : new UnavailableError(
          [404, 502, 503, 504].includes(status) ? status : 502,
          message,
          status === 503 ? 1 : undefined,
        );
        throw failure;
      }
      into.set(got, at);
      return got.length;
    },
    close() {
      w.postMessage({ kind: "close", id });
      // The last remote file closed: stop the worker, so a process can exit.
      if (--readers === 0 && worker === w) {
        w.terminate();
        worker = undefined;
      }
    },
  };
}
