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
  /** Stops the workers. */
  close(): void;
}

/** A pool of `size` workers (default: one per core), started at once. */
export function createTranscoder(size = navigator.hardwareConcurrency || 2): Transcoder {
  const workers: Worker[] = [];
  const load: number[] = [];
  const pending = new Map<
    number,
    { resolve: (b: Uint8Array) => void; reject: (e: Error) => void; w: number }
  >();
  let next = 0;
  function start(): void {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL("./transcode_worker.ts", import.meta.url), { type: "module" });
      w.onmessage = (e: MessageEvent<{ id: number; out?: Uint8Array; error?: string }>) => {
        const job = pending.get(e.data.id);
        if (!job) return;
        pending.delete(e.data.id);
        load[job.w]--;
        if (e.data.out) job.resolve(e.data.out);
        else job.reject(new Error(e.data.error ?? "transcode failed"));
      };
      workers.push(w);
      load.push(0);
    }
  }
  start(); // workers load their modules now, not on the first request
  return {
    transcode(codecs, bytes, spec, length) {
      if (workers.length === 0) start();
      const w = load.indexOf(Math.min(...load)); // least busy
      const id = next++;
      load[w]++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, w });
        const job: TranscodeJob = { id, codecs, bytes, spec, length };
        workers[w].postMessage(job, [bytes.buffer as ArrayBuffer]);
      });
    },
    close() {
      for (const w of workers) w.terminate();
      workers.length = 0;
      for (const job of pending.values()) job.reject(new Error("transcoder closed"));
      pending.clear();
    },
  };
}
