/** Per-array codecs: pass-through declarations, shuffle, native decoding of stored bytes. */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { encodingOf } from "../src/zarr/pipeline.ts";
import { compressorFromSpec, decodeStored } from "../src/codecs/registry.ts";
import { shuffleBytes, unshuffleBytes } from "../src/codecs/shuffle.ts";
import type { ArrayNode, StoredCodec } from "../src/model/types.ts";

Deno.test("shuffle and unshuffle invert each other, leftover bytes included", () => {
  for (const size of [1, 2, 3, 4, 8]) {
    for (const n of [0, 1, 7, 64, 1001]) {
      const src = Uint8Array.from({ length: n }, (_, i) => (i * 37 + size) & 0xff);
      const sh = shuffleBytes(src, size);
      assert.deepEqual(unshuffleBytes(sh, size), src, `size ${size}, ${n} bytes`);
    }
  }
  // byte k of every element together: [a0 a1 b0 b1] -> [a0 b0 a1 b1]
  assert.deepEqual(Array.from(shuffleBytes(Uint8Array.of(1, 2, 3, 4), 2)), [1, 3, 2, 4]);
});

Deno.test("stored shuffle + zlib decode natively to the original bytes", async () => {
  const raw = new Uint8Array(new Float32Array(Array.from({ length: 500 }, (_, i) => i / 7)).buffer);
  const codecs: StoredCodec[] = [{ id: "shuffle", elementSize: 4 }, { id: "zlib", level: 4 }];
  const stored = zlib.deflateSync(shuffleBytes(raw, 4), { level: 4 });
  assert.deepEqual(await decodeStored(codecs, new Uint8Array(stored)), raw);
});

Deno.test("pass-through declares the stored codecs, or the store's compressor", () => {
  const array = (codecs: StoredCodec[]): ArrayNode => ({
    kind: "array",
    shape: [4],
    chunks: [4],
    dtype: { kind: "float", size: 4 },
    dims: ["x"],
    attrs: {},
    fillValue: null,
    readChunk: () => new Uint8Array(16),
    stored: { codecs, read: () => Promise.resolve(null) },
  });
  const zstd = compressorFromSpec("zstd");
  const shuffled = array([{ id: "shuffle", elementSize: 4 }, { id: "zlib", level: 4 }]);
  const all = encodingOf(shuffled, zstd, "all");
  assert.equal(all.passthrough, true);
  assert.deepEqual(all.v2Filters, [{ id: "shuffle", elementsize: 4 }]);
  assert.deepEqual(all.v2Compressor, { id: "zlib", level: 4 });
  assert.deepEqual(all.v3.map((c) => c.name), ["numcodecs.shuffle", "numcodecs.zlib"]);
  const auto = encodingOf(shuffled, zstd, "auto");
  assert.equal(auto.passthrough, false, "GDAL 3.6 has no shuffle: auto transcodes");
  assert.deepEqual(auto.v2Compressor, { id: "zstd", level: 1 });
  assert.equal(encodingOf(array([{ id: "zlib", level: 2 }]), zstd, "auto").passthrough, true);
  assert.equal(encodingOf(array([{ id: "zlib", level: 2 }]), zstd, "off").passthrough, false);
});
