/**
 * Unit: the block cache (src/sources/bytes/block_cache.ts) over a fake FileReader that counts
 * its reads: reads inside a block and across blocks, the file's short last block, reads past
 * the end, one fetch for concurrent readers of a block, failures not kept, the LRU bound, the
 * head already read, and close.
 */
import assert from "node:assert/strict";
import { blockCached } from "../src/sources/bytes/block_cache.ts";
import type { FileReader } from "../src/sources/bytes/file_reader.ts";

const BLOCK = 16;
/** The fake file: 100 bytes, byte i = i (6 blocks of 16 and one of 4). */
const FILE = new Uint8Array(100).map((_, i) => i);

/** A reader of FILE that records each read; `gate` holds reads until released. */
function fakeReader() {
  const reads: [number, number][] = [];
  let closes = 0;
  let failNext = 0;
  let gate: Promise<void> | undefined;
  const reader: FileReader = {
    async read(offset, length) {
      reads.push([offset, length]);
      if (gate) await gate;
      if (failNext > 0) {
        failNext--;
        throw new Error("injected read failure");
      }
      if (offset < 0 || offset + length > FILE.length) {
        throw new Error(`fake: read of ${length} at ${offset} is outside the file`);
      }
      return FILE.slice(offset, offset + length);
    },
    close() {
      closes++;
      return Promise.resolve();
    },
  };
  return {
    reader,
    reads,
    closes: () => closes,
    failNext: (n: number) => void (failNext = n),
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const bytes = (from: number, to: number) => FILE.slice(from, to);

Deno.test("unit block cache: a read inside one block fetches that block once", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  assert.deepEqual(await cached.read(20, 5), bytes(20, 25));
  assert.deepEqual(f.reads, [[16, 16]]);
  assert.deepEqual(await cached.read(16, 16), bytes(16, 32));
  assert.deepEqual(await cached.read(31, 1), bytes(31, 32));
  assert.deepEqual(f.reads, [[16, 16]], "held: no second read");
  assert.deepEqual(await cached.read(40, 0), new Uint8Array(0));
  assert.deepEqual(f.reads.length, 1, "an empty read reads nothing");
});

Deno.test("unit block cache: a read across blocks fetches the missing run in one read", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  assert.deepEqual(await cached.read(10, 30), bytes(10, 40)); // blocks 0, 1, 2
  assert.deepEqual(f.reads, [[0, 48]]);
  // Blocks 1 and 2 held: reading blocks 1..6 fetches 3..6 in one read, to the end of the file.
  f.reads.length = 0;
  assert.deepEqual(await cached.read(30, 70), bytes(30, 100));
  assert.deepEqual(f.reads, [[48, 52]]);
  // Around a held block: two runs, one read each.
  const g = fakeReader();
  const gaps = blockCached(g.reader, FILE.length, { blockSize: BLOCK });
  await gaps.read(32, 1); // block 2
  g.reads.length = 0;
  assert.deepEqual(await gaps.read(0, 80), bytes(0, 80));
  assert.deepEqual(g.reads, [[0, 32], [48, 32]]);
});

Deno.test("unit block cache: the short last block, and reads past the end", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  assert.deepEqual(await cached.read(96, 4), bytes(96, 100));
  assert.deepEqual(f.reads, [[96, 4]], "the last block is the 4 bytes left");
  assert.deepEqual(await cached.read(90, 10), bytes(90, 100));
  assert.deepEqual(f.reads, [[96, 4], [80, 16]]);
  f.reads.length = 0;
  await assert.rejects(() => cached.read(95, 6), /read of 6 bytes at 95 lies outside the file/);
  await assert.rejects(() => cached.read(100, 1), /lies outside the file \(100 bytes\)/);
  await assert.rejects(() => cached.read(1000, 10), /lies outside the file/);
  await assert.rejects(() => cached.read(-1, 2), /lies outside the file/); // before the start
  assert.deepEqual(f.reads, [], "refused before any read");
  assert.deepEqual(await cached.read(100, 0), new Uint8Array(0));
});

Deno.test("unit block cache: concurrent reads of one block share one fetch", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  const release = f.hold();
  const pending = [
    cached.read(32, 4),
    cached.read(40, 8),
    cached.read(47, 1),
    cached.read(32, 16),
    cached.read(30, 4), // blocks 1 and 2: block 2 is already on its way
  ];
  release();
  const got = await Promise.all(pending);
  assert.deepEqual(got, [
    bytes(32, 36),
    bytes(40, 48),
    bytes(47, 48),
    bytes(32, 48),
    bytes(30, 34),
  ]);
  assert.deepEqual(f.reads, [[32, 16], [16, 16]]);
});

Deno.test("unit block cache: a failed read is not kept; the next read asks again", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  f.failNext(1);
  const release = f.hold();
  const both = [cached.read(0, 4), cached.read(8, 4)]; // one fetch, both fail
  release();
  for (const p of both) await assert.rejects(p, /injected read failure/);
  assert.equal(f.reads.length, 1);
  assert.deepEqual(await cached.read(0, 4), bytes(0, 4));
  assert.deepEqual(f.reads, [[0, 16], [0, 16]]);
});

Deno.test("unit block cache: at most maxBytes held, least recently used dropped", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK, maxBytes: 2 * BLOCK });
  await cached.read(0, 1); // block 0
  await cached.read(16, 1); // block 1
  await cached.read(0, 1); // block 0 again: now the most recent
  await cached.read(32, 1); // block 2: block 1 goes
  f.reads.length = 0;
  await cached.read(0, 1);
  await cached.read(32, 1);
  assert.deepEqual(f.reads, [], "blocks 0 and 2 held");
  await cached.read(16, 1);
  assert.deepEqual(f.reads, [[16, 16]], "block 1 was dropped");
  // A read longer than the cache still answers in full.
  assert.deepEqual(await cached.read(0, 100), bytes(0, 100));
});

Deno.test("unit block cache: the head already read answers without reading", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK, head: bytes(0, 40) });
  assert.deepEqual(await cached.read(0, 32), bytes(0, 32)); // blocks 0 and 1 from the head
  assert.deepEqual(f.reads, []);
  assert.deepEqual(await cached.read(30, 6), bytes(30, 36)); // block 2 is not whole in it
  assert.deepEqual(f.reads, [[32, 16]]);

  // A short file held whole, its last block short: no read at all.
  const g = fakeReader();
  const whole = blockCached(g.reader, 40, { blockSize: BLOCK, head: bytes(0, 40) });
  assert.deepEqual(await whole.read(0, 40), bytes(0, 40));
  assert.deepEqual(await whole.read(39, 1), bytes(39, 40));
  assert.deepEqual(g.reads, []);
});

Deno.test("unit block cache: answers are copies; close closes the reader", async () => {
  const f = fakeReader();
  const cached = blockCached(f.reader, FILE.length, { blockSize: BLOCK });
  const first = await cached.read(0, 8);
  first.fill(255);
  const spanning = await cached.read(8, 16);
  spanning.fill(255);
  assert.deepEqual(await cached.read(0, 24), bytes(0, 24), "the held blocks are unchanged");
  assert.equal(f.reads.length, 2);
  assert.equal(f.closes(), 0);
  await cached.close();
  assert.equal(f.closes(), 1);
});
