/// <reference lib="deno.worker" />
/**
 * The worker behind synchronous remote reads: it holds block-cached readers of remote files
 * and answers each read into the SharedArrayBuffer the blocked caller waits on.
 */
import { blockCached } from "../bytes/block_cache.ts";
import { sourceFor, type SourceOptions } from "../bytes/source_for.ts";
import type { FileReader } from "../bytes/file_reader.ts";

interface Open {
  kind: "open";
  id: number;
  location: string;
  options: SourceOptions;
  version: string;
  size: number;
  blockSize: number;
  head?: Uint8Array;
}
interface Read {
  kind: "read";
  id: number;
  offset: number;
  length: number;
  sab: SharedArrayBuffer;
}
interface Close {
  kind: "close";
  id: number;
}

// Promises, set at once: a read may arrive before its file has finished opening.
const readers = new Map<number, Promise<FileReader>>();
const encoder = new TextEncoder();

function answer(sab: SharedArrayBuffer, status: 1 | 2, bytes: Uint8Array): void {
  const head = new Int32Array(sab, 0, 2);
  new Uint8Array(sab, 8).set(bytes.subarray(0, sab.byteLength - 8));
  head[1] = bytes.length;
  Atomics.store(head, 0, status);
  Atomics.notify(head, 0);
}

self.onmessage = async (e: MessageEvent<Open | Read | Close>) => {
  const msg = e.data;
  if (msg.kind === "open") {
    const source = sourceFor(msg.location, msg.options);
    readers.set(
      msg.id,
      source.reader(msg.version).then((r) =>
        blockCached(r, msg.size, { blockSize: msg.blockSize, maxBytes: 64 << 20, head: msg.head })
      ),
    );
  } else if (msg.kind === "close") {
    const r = readers.get(msg.id);
    readers.delete(msg.id);
    await (await r)?.close();
  } else {
    try {
      const r = readers.get(msg.id);
      if (!r) throw new Error("remote file closed");
      answer(msg.sab, 1, await (await r).read(msg.offset, msg.length));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 502;
      answer(
        msg.sab,
        2,
        encoder.encode(JSON.stringify({
          status,
          message: (err as Error).message,
          changed: (err as Error).name === "VersionChangedError",
        })),
      );
    }
  }
};
