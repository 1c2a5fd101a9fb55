/**
 * One store, two views: stored codecs (shuffle included) for every client
 * that decodes them, chunks without shuffle for GDAL before 3.11 and clients
 * without a User-Agent; Vary and ETags tell them apart.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import * as zarr from "zarrita";
import { openHdf5 } from "../src/sources/hdf5/open.ts";
import { viewFor } from "../src/http/clients.ts";
import { writeFilterFixture } from "./filter_fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

Deno.test("User-Agents pick the view", () => {
  assert.equal(viewFor(null), "compat", "GDAL 3.6 sends no User-Agent");
  assert.equal(viewFor("GDAL/3.6.2"), "compat");
  assert.equal(viewFor("GDAL/3.10.3 (https://gdal.org)"), "compat");
  assert.equal(viewFor("GDAL/3.11.0"), "stored");
  assert.equal(viewFor("Python/3.11 aiohttp/3.8.4"), "stored");
  assert.equal(viewFor("Deno/2.9.6"), "stored");
  assert.equal(viewFor("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"), "stored");
});

Deno.test("the default serves shuffled chunks as stored, and a GDAL-safe view to old GDAL", async () => {
  await withTempDir(async (dir) => {
    const expected = await writeFilterFixture(`${dir}/f.h5`);
    const ds = await openHdf5(`${dir}/f.h5`);
    const get = (base: string, key: string, ua?: string) =>
      fetch(`${base}/f/${key}`, { headers: ua ? { "user-agent": ua } : {} });
    await withServer([ds], async (base) => {
      const stored = await get(base, "shuffle/.zarray", "Python/3.11 aiohttp/3.8.4");
      const compat = await get(base, "shuffle/.zarray", "GDAL/3.6.2");
      assert.equal(stored.headers.get("vary"), "User-Agent");
      assert.notEqual(stored.headers.get("etag"), compat.headers.get("etag"));
      const s = await stored.json(), c = await compat.json();
      assert.deepEqual(s.filters, [{ id: "shuffle", elementsize: 4 }]);
      assert.equal(s.compressor, null, "the file's own pipeline: shuffle only");
      assert.equal(c.filters, null);
      assert.deepEqual(c.compressor, { id: "zstd", level: 1 });
      // Deno's fetch sends a User-Agent: zarrita reads the stored view.
      const arr = await zarr.open.v2(
        zarr.root(new zarr.FetchStore(`${base}/f`)).resolve("shuffle"),
        {
          kind: "array",
        },
      );
      assert.deepEqual(
        Array.from((await zarr.get(arr)).data as Int32Array),
        Array.from(expected.shuffle.values),
      );
      // The compatible view's chunk 0.0 decodes with zstd alone to the same first rows.
      const chunk = new Uint8Array(
        await (await get(base, "shuffle/0.0", "GDAL/3.6.2")).arrayBuffer(),
      );
      const raw = new Int32Array(new Uint8Array(zlib.zstdDecompressSync(chunk)).buffer);
      assert.deepEqual(
        Array.from(raw.slice(0, 32)),
        Array.from(expected.shuffle.values.slice(0, 32)),
      );
      const storedChunk = await get(base, "shuffle/0.0", "Deno/2");
      const compatChunk = await get(base, "shuffle/0.0", "GDAL/3.6.2");
      assert.notEqual(storedChunk.headers.get("etag"), compatChunk.headers.get("etag"));
      await storedChunk.body?.cancel();
      await compatChunk.body?.cancel();
    });
    await withServer(
      [ds],
      async (base) => {
        const res = await get(base, "shuffle/.zarray", "GDAL/3.6.2");
        assert.equal(res.headers.get("vary"), null, "one view for everyone");
        assert.deepEqual((await res.json()).filters, [{ id: "shuffle", elementsize: 4 }]);
      },
      undefined,
      { passthrough: "all" },
    );
  });
});
