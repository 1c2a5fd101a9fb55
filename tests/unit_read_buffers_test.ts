import assert from "node:assert/strict";
import {
  keptReadBytes,
  readStreamInto,
  withReadBuffer,
} from "../src/sources/bytes/read_buffers.ts";

const MiB = 1 << 20;

Deno.test("unit withReadBuffer: reads at once get their own buffers, and one is kept after", async () => {
  const seen: Uint8Array[] = [];
  const fill = (v: number) => async (into: Uint8Array) => {
    await new Promise((r) => setTimeout(r, 5));
    into.fill(v);
  };
  const sums = await Promise.all([1, 2, 3].map((v) =>
    withReadBuffer(MiB + 1, fill(v), (bytes) => {
      seen.push(bytes);
      assert.equal(bytes.length, MiB + 1);
      return bytes.reduce((a, b) => a + b, 0);
    })
  ));
  assert.deepEqual(sums, [1, 2, 3].map((v) => v * (MiB + 1)), "no read saw another's bytes");
  assert.equal(new Set(seen.map((b) => b.buffer)).size, 3);
  const kept = keptReadBytes();
  // MiB + 1 borrows from the class of 2^20.25 bytes (four classes an octave)
  assert.ok(kept >= 3 * 1.189 * MiB, `three buffers of that class kept, got ${kept}`);
  assert.ok(kept < 3 * 1.2 * MiB, `no power-of-two rounding, got ${kept}`);
  // The next read of that size class reuses one, and a throwing use gives it back too.
  await assert.rejects(withReadBuffer(MiB + 5, fill(9), () => {
    throw new Error("use failed");
  }));
  assert.equal(keptReadBytes(), kept);
  const again = await withReadBuffer(MiB + 100_000, fill(4), (bytes) => bytes.buffer);
  assert.ok(seen.some((b) => b.buffer === again), "a kept buffer was lent again");
});

Deno.test("unit withReadBuffer: what is kept stays bounded", async () => {
  const reads = Array.from({ length: 40 }, () =>
    withReadBuffer(4 * MiB, async () => {
      await new Promise((r) => setTimeout(r, 5));
    }, () => 0));
  await Promise.all(reads);
  assert.ok(keptReadBytes() <= 32 * MiB, `kept ${keptReadBytes()} bytes`);
});

function byteStream(parts: number[][]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    pull(c) {
      const p = parts.shift();
      if (!p) {
        c.close();
        c.byobRequest?.respond(0);
        return;
      }
      const req = c.byobRequest;
      if (req?.view) {
        const view = new Uint8Array(req.view.buffer, req.view.byteOffset, req.view.byteLength);
        const n = Math.min(view.length, p.length);
        view.set(p.slice(0, n));
        if (n < p.length) parts.unshift(p.slice(n));
        req.respond(n);
      } else c.enqueue(new Uint8Array(p));
    },
  });
}

function chunkStream(parts: number[][]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(c) {
      const p = parts.shift();
      if (p) c.enqueue(new Uint8Array(p));
      else c.close();
    },
  });
}

Deno.test("unit readStreamInto: byte streams (BYOB) and chunk streams fill exactly, or throw", async () => {
  for (const make of [byteStream, chunkStream]) {
    const filled = await readStreamInto(make([[1, 2], [3], [4, 5, 6]]), new Uint8Array(6));
    assert.deepEqual([...filled], [1, 2, 3, 4, 5, 6], make.name);
    await assert.rejects(readStreamInto(make([[1, 2]]), new Uint8Array(3)), /2 bytes where 3/);
    await assert.rejects(readStreamInto(make([[1, 2], [3, 4]]), new Uint8Array(3)), /more than/);
  }
});

Deno.test("unit withReadBuffer: a buffer moved by a BYOB read is the one kept and reused", async () => {
  const size = 1 << 17;
  const data = Array.from({ length: size }, (_, i) => i % 251);
  for (let round = 0; round < 3; round++) {
    const got = await withReadBuffer(
      size,
      (into) => readStreamInto(byteStream([data.slice(0, 1000), data.slice(1000)]), into),
      (bytes) => {
        assert.equal(bytes.length, size);
        return bytes[size - 1] + bytes[999] * 1000;
      },
    );
    assert.equal(got, data[size - 1] + data[999] * 1000);
  }
  assert.ok(keptReadBytes() >= size); // the moved buffer went back to the pool, usable
});
