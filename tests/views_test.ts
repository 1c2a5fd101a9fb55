/**
 * One store, two views: stored codecs (shuffle included) for every client
 * that decodes them, chunks without shuffle for GDAL before 3.11 and clients
 * without a User-Agent; Vary and ETags tell them apart.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import * as zarr from "zarrita";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { clientView, viewFor } from "../src/http/clients.ts";
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

Deno.test("User-Agents pick the documents and the spelling of NaN", () => {
  const style = (ua: string | null, formats?: "v2") => clientView(ua, formats).style;
  // zarr-python 2 and 3 both read through fsspec's aiohttp; 3 warns when both formats answer.
  assert.deepEqual(style("Python/3.13 aiohttp/3.14.3"), { formats: "v3", nonFinite: "bare" });
  assert.deepEqual(style("python-requests/2.32"), { formats: "v3", nonFinite: "bare" });
  // GDAL's v3 reader takes the v3 fill_value as NoData: GDAL reads v2.
  assert.deepEqual(style("GDAL/3.13.3"), { formats: "v2", nonFinite: "bare" });
  assert.deepEqual(style(null), { formats: "v2", nonFinite: "bare" });
  assert.deepEqual(style("Deno/2.9.6"), { formats: "both", nonFinite: "strings" });
  assert.deepEqual(style("Python/3.13 aiohttp/3.14.3", "v2"), { formats: "v2", nonFinite: "bare" });
  assert.equal(clientView("GDAL/3.13.3").view, "stored");
});

Deno.test("each client is answered the documents it reads, at /NAME/ and /v2/NAME/", async () => {
  await withTempDir(async (dir) => {
    await writeFilterFixture(`${dir}/f.h5`);
    const ds = await openHdf5(`${dir}/f.h5`);
    await withServer([ds], async (base) => {
      const status = async (path: string, ua: string) => {
        const res = await fetch(`${base}/${path}`, { headers: { "user-agent": ua } });
        await res.body?.cancel();
        return res.status;
      };
      const py = "Python/3.13 aiohttp/3.14.3";
      for (
        const [path, ua, want] of [
          ["f/zarr.json", py, 200],
          ["f/.zgroup", py, 404],
          ["f/.zattrs", py, 404],
          ["f/shuffle/.zarray", py, 404],
          ["f/.zmetadata", py, 200],
          ["v2/f/.zgroup", py, 200],
          ["v2/f/shuffle/.zarray", py, 200],
          ["v2/f/zarr.json", py, 404],
          ["f/zarr.json", "GDAL/3.13.3", 404],
          ["f/.zgroup", "GDAL/3.13.3", 200],
          ["f/zarr.json", "Deno/2.9.6", 200],
          ["f/.zgroup", "Deno/2.9.6", 200],
        ] as const
      ) assert.equal(await status(path, ua), want, `${ua}: ${path}`);
      const listing = await (await fetch(`${base}/v2/f/`, { headers: { "user-agent": py } }))
        .text();
      assert.match(listing, /href="\/v2\/f\/\.zgroup"/);
      assert.doesNotMatch(listing, /zarr\.json/);
    });
  });
});

Deno.test("the default serves shuffled chunks as stored, and a GDAL-safe view to old GDAL", async () => {
  await withTempDir(async (dir) => {
    const expected = await writeFilterFixture(`${dir}/f.h5`);
    const ds = await openHdf5(`${dir}/f.h5`);
    const get = (base: string, key: string, ua?: string) =>
      fetch(`${base}/f/${key}`, { headers: ua ? { "user-agent": ua } : {} });
    await withServer([ds], async (base) => {
      const stored = await get(base, "shuffle/.zarray", "GDAL/3.13.3");
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
        const chunk = await get(base, "shuffle/0.0", "GDAL/3.6.2");
        await chunk.body?.cancel();
        assert.equal(chunk.headers.get("vary"), null, "one codec view for everyone");
        assert.deepEqual((await res.json()).filters, [{ id: "shuffle", elementsize: 4 }]);
      },
      undefined,
      { passthrough: "all" },
    );
  });
});
