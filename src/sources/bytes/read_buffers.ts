/**
 * Read buffers lent for the length of one synchronous use and then kept for the next read: a
 * fresh buffer per chunk costs V8 a zeroed allocation (page faults and memset), which was a
 * third of a passed-through chunk's CPU (bench/body_paths.ts: 0.91 -> 0.65 CPU-s per GB).
 */

/** Sizes below this are not pooled (allocating them is cheap). */
const SMALLEST = 64 << 10;
/** Buffers kept per size class. */
const DEPTH = 8;
/** Bytes kept in all, so a burst of big reads does not stay resident. */
const MAX_KEPT = 32 << 20;

const kept = new Map<number, Uint8Array<ArrayBuffer>[]>();
let keptBytes = 0;

/**
 * The size class a read of `length` bytes borrows from: four per octave, so a buffer wastes at
 * most 19 % (a 1.4 MB chunk held 2 MiB with power-of-two classes, in flight on every connection).
 */
function classOf(length: number): number {
  const l = Math.max(length, SMALLEST);
  return Math.max(l, Math.ceil(2 ** (Math.ceil(Math.log2(l) * 4) / 4)));
}

/**
 * Runs `use` on a buffer of exactly `length` bytes filled by `fill`; the buffer is reused once
 * `use` (or the promise it returns) settles, so `use` must copy what it keeps beyond that.
 * A `fill` that moved the bytes to another ArrayBuffer (a BYOB read transfers it) returns them.
 */
export async function withReadBuffer<T>(
  length: number,
  fill: (into: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer> | void>,
  use: (bytes: Uint8Array<ArrayBuffer>) => T | Promise<T>,
): Promise<T> {
  if (length < SMALLEST) {
    const into = new Uint8Array(length);
    return await use((await fill(into)) ?? into);
  }
  const size = classOf(length);
  let buffer = kept.get(size)?.pop();
  if (buffer) keptBytes -= size;
  else buffer = new Uint8Array(size);
  try {
    let bytes = buffer.subarray(0, length);
    const moved = await fill(bytes);
    if (moved) {
      buffer = new Uint8Array(moved.buffer);
      bytes = moved;
    }
    return await use(bytes);
  } finally {
    giveBack(size, buffer!);
  }
}

function giveBack(size: number, buffer: Uint8Array<ArrayBuffer>): void {
  const stack = kept.get(size) ?? [];
  if (stack.length >= DEPTH || keptBytes + size > MAX_KEPT) return;
  stack.push(buffer);
  kept.set(size, stack);
  keptBytes += size;
}

/** Bytes held in kept read buffers now (for tests and metrics). */
export function keptReadBytes(): number {
  return keptBytes;
}

/**
 * Reads `stream` into `into` (exactly its length) with a BYOB reader where the stream has one
 * (fetch bodies do: no chunk is allocated), else chunk by chunk; returns the filled bytes, which
 * a BYOB read has moved to a new ArrayBuffer. Throws when the stream is shorter or longer.
 */
export async function readStreamInto(
  stream: ReadableStream<Uint8Array>,
  into: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  let at = 0;
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch { /* not a byte stream */ }
  if (byob) {
    // Each read transfers the buffer: `into` is remade over the one the bytes are now in.
    const { length, byteOffset } = into;
    try {
      while (at < length) {
        const { value, done } = await byob.read(into.subarray(at));
        if (done || !value) break;
        at += value.length;
        into = new Uint8Array(value.buffer, byteOffset, length);
      }
      const extra = at === length ? await byob.read(new Uint8Array(1)) : { done: true };
      if (!extra.done) throw new Error(shortOrLong(at + 1, length));
      if (at !== length) throw new Error(shortOrLong(at, length));
      return into;
    } finally {
      byob.releaseLock();
      void stream.cancel().catch(() => {});
    }
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (at + value.length > into.length) {
        throw new Error(shortOrLong(at + value.length, into.length));
      }
      into.set(value, at);
      at += value.length;
    }
    if (at !== into.length) throw new Error(shortOrLong(at, into.length));
    return into;
  } finally {
    reader.releaseLock();
    void stream.cancel().catch(() => {});
  }
}

function shortOrLong(got: number, wanted: number): string {
  return `a body of ${got > wanted ? "more than " : ""}${got} bytes where ${wanted} were asked`;
}
