/**
 * Files that never change (--immutable) answer stored chunks from the file itself: the same
 * bytes, ETag and Range answers as the read path, marked stored, with nothing read in JavaScript.
 */
import assert from "node:assert/strict";
import { openFile } from "../src/sources/files.ts";
import { writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

const UA = { "user-agent": "Python/3.11 aiohttp/3.8.4" };

Deno.test("immutable files: stored chunks sent from the file, equal to the read path", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/f.nc`;
    await writeNetcdfLike(path);
    const keys = ["temp/c/0/0/0", "temp/c/1/1/1", "time/c/0"];
    const answers = async (immutable: boolean) =>
      await withServer(
        [await openFile(path, { name: "f" })],
        async (base) => {
          const out = [];
          for (const key of keys) {
            const res = await fetch(`${base}/f/${key}`, { headers: UA });
            assert.equal(res.status, 200, key);
            const bytes = new Uint8Array(await res.arrayBuffer());
            const part = await fetch(`${base}/f/${key}`, {
              headers: { ...UA, range: "bytes=2-5" },
            });
            assert.equal(part.status, 206, key);
            assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.subarray(2, 6), key);
            out.push({
              bytes,
              etag: res.headers.get("etag"),
              origin: res.headers.get("x-zarrflask-chunk"),
            });
          }
          return out;
        },
        undefined,
        { immutable },
      );
    const read = await answers(false);
    const sent = await answers(true);
    for (let i = 0; i < keys.length; i++) {
      assert.equal(sent[i].origin, "stored", keys[i]);
      assert.deepEqual(sent[i].bytes, read[i].bytes, keys[i]);
      assert.ok(sent[i].bytes.length > 0, keys[i]);
    }
  });
});
