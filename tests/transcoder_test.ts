/** The transcoding worker pool: results, ordering under load, failures that stay contained. */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { createTranscoder } from "../src/zarr/transcoder.ts";
import { compressorFromSpec } from "../src/codecs/registry.ts";
import { shuffleBytes } from "../src/codecs/shuffle.ts";
import type { StoredCodec } from "../src/model/types.ts";

const codecs: StoredCodec[] = [{ id: "shuffle", elementSize: 4 }, { id: "zlib", level: 1 }];
const raw = (seed: number) =>
  new Uint8Array(Float32Array.from({ length: 4096 }, (_, i) => seed + i / 3).buffer);
const stored = (b: Uint8Array) =>
  new Uint8Array(zlib.deflateSync(shuffleBytes(b, 4), { level: 1 }));

Deno.test("many jobs on two workers come back right, each to its caller", async () => {
  const t = createTranscoder(2);
  try {
    const zstd = compressorFromSpec("zstd");
    const outs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.transcode(codecs, stored(raw(i)), "zstd:1", 16384)),
    );
    for (const [i, out] of outs.entries()) assert.deepEqual(await zstd.decode(out), raw(i));
  } finally {
    t.close();
  }
});

Deno.test("a job that does not decode to the expected size is rejected, the pool goes on", async () => {
  const t = createTranscoder(1);
  try {
    await assert.rejects(() => t.transcode(codecs, stored(raw(1)), "none", 999), /expected 999/);
    await assert.rejects(
      () => t.transcode(codecs, new Uint8Array([1, 2, 3]), "none", 16384),
      /transcode|header|invalid/i,
    );
    const ok = await t.transcode(codecs, stored(raw(2)), "none", 16384);
    assert.deepEqual(ok, raw(2));
  } finally {
    t.close();
  }
  await assert.rejects(() => t.transcode(codecs, stored(raw(3)), "none", 16384), /closed/);
});
