import assert from "node:assert/strict";
import { keptReadBytes, withReadBuffer } from "../src/sources/bytes/read_buffers.ts";

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
  assert.ok(kept >= 3 * 2 * MiB, `three 2 MiB buffers kept, got ${kept}`);
  // The next read of that size class reuses one, and a throwing use gives it back too.
  await assert.rejects(withReadBuffer(MiB + 5, fill(9), () => {
    throw new Error("use failed");
  }));
  assert.equal(keptReadBytes(), kept);
  const again = await withReadBuffer(2 * MiB, fill(4), (bytes) => bytes.buffer);
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
