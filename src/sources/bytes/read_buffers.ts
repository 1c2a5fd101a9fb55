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

/** The power-of-two size class a read of `length` bytes borrows from. */
function classOf(length: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(length, SMALLEST)));
}

/**
 * Runs `use` on a buffer of exactly `length` bytes filled by `fill`; the buffer is reused once
 * `use` (or the promise it returns) settles, so `use` must copy what it keeps beyond that.
 */
export async function withReadBuffer<T>(
  length: number,
  fill: (into: Uint8Array<ArrayBuffer>) => Promise<void>,
  use: (bytes: Uint8Array<ArrayBuffer>) => T | Promise<T>,
): Promise<T> {
  if (length < SMALLEST) {
    const bytes = new Uint8Array(length);
    await fill(bytes);
    return use(bytes);
  }
  const size = classOf(length);
  let buffer = kept.get(size)?.pop();
  if (buffer) keptBytes -= size;
  else buffer = new Uint8Array(size);
  try {
    const bytes = buffer.subarray(0, length);
    await fill(bytes);
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
