/**
 * A pool of workers that decode stored chunks (inflate, unshuffle, ...) and
 * re-encode them with the store's compressor. Measured: node:zlib's async calls
 * run one at a time here, so without workers a transcode uses one core.
 */
import type { StoredCodec } from "../model/types.ts";

/** One job for a worker. */
export interface TranscodeJob {
  id: number;
  codecs: readonly StoredCodec[];
  bytes: Uint8Array;
  /** The target compressor, as `compressorFromSpec` takes it. */
  spec: string;
  /** The decoded size the stored bytes must have. */
  length: number;
}

/** Transcodes stored chunks on worker threads. */
export interface Transcoder {
  /** Stored bytes -> bytes in `spec`'s encoding; rejects when they do not decode to `length`. */
  transcode(
    codecs: readonly StoredCodec[],
    bytes: Uint8Array,
    spec: string,
    length: number,
  ): Promise<Uint8Array>;
  /** Jobs waiting for a worker. */
  readonly queued: number;
  /** Workers busy with a job. */
  readonly busy: number;
  /** Stops the workers. */
  close(): void;
}

/**
 * A pool of `size` workers (default: one per core), started at once. Each
 * worker takes one job at a time; the rest wait in order, which bounds the
 * memory in flight to one decoded chunk per worker.
 */
export function createTranscoder(size = navigator.hardwareConcurrency || 2): Transcoder {
  type Job = TranscodeJob & { resolve: (b: Uint8Array) => void; reject: (e: Error) => void };
  const workers: Worker[] = [];
  const busy: (Job | undefined)[] = [];
  const queue: Job[] = [];
  let next = 0;

  function dispatch(w: number): void {
    const job = queue.shift();
    busy[w] = job;
    if (!job) return;
    const { resolve: _r, reject: _j, ...message } = job;
    workers[w].postMessage(message, [job.bytes.buffer as ArrayBuffer]);
  }

  function spawn(i: number): Worker {
    const w = new Worker(new URL("./transcode_worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<{ id: number; out?: Uint8Array; error?: string }>) => {
      const job = busy[i];
      if (job && job.id === e.data.id) {
        if (e.data.out) job.resolve(e.data.out);
        else job.reject(new Error(e.data.error ?? "transcode failed"));
      }
      dispatch(i);
    };
    // A worker that dies (out of memory, a wasm trap) fails its job, not the server:
    // the job's request falls back to decoding, and a fresh worker takes the queue.
    w.onerror = (e) => {
      e.preventDefault();
      busy[i]?.reject(new Error(`transcode worker failed: ${e.message}`));
      busy[i] = undefined;
      w.terminate();
      if (workers.length === 0) return; // closed
      workers[i] = spawn(i);
      dispatch(i);
    };
    return w;
  }

  for (let i = 0; i < size; i++) {
    workers.push(spawn(i));
    busy.push(undefined);
  }

  return {
    get queued() {
      return queue.length;
    },
    get busy() {
      return busy.filter((j) => j !== undefined).length;
    },
    transcode(codecs, bytes, spec, length) {
      return new Promise((resolve, reject) => {
        if (workers.length === 0) return reject(new Error("transcoder closed"));
        queue.push({ id: next++, codecs, bytes, spec, length, resolve, reject });
        const idle = busy.findIndex((j) => j === undefined);
        if (idle >= 0) dispatch(idle);
      });
    },
    close() {
      for (const w of workers) w.terminate();
      workers.length = 0;
      for (const job of [...busy, ...queue]) job?.reject(new Error("transcoder closed"));
      queue.length = 0;
      busy.length = 0;
    },
  };
}
