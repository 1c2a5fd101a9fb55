/**
 * Tokens from real clients, sent the way the README says: xarray with
 * storage_options={"headers": {...}} (both generations: Debian 12's xarray on zarr-python 2,
 * today's on zarr-python 3), zarrita with FetchStore's `overrides`.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { demoClimate } from "../../src/sources/virtual/demo_memory.ts";
import { withServer } from "../helpers.ts";
import { pathFrom } from "../setup.ts";
import { generationsFor } from "./run.ts";

const here = pathFrom(import.meta.url);
const generations = await generationsFor("token interop test", "xarray, zarr, fsspec, aiohttp");

Deno.test("zarrita reads a guarded store with the token, and is refused without", async () => {
  await withServer(
    [demoClimate()],
    async (base) => {
      const headers = { Authorization: "Bearer s3cret" };
      const store = new zarr.FetchStore(`${base}/climate`, { overrides: { headers } });
      const air = await zarr.open.v3(zarr.root(store).resolve("air"), { kind: "array" });
      const chunk = await air.getChunk([0, 0, 0]);
      assert.equal(chunk.data.length, 6 * 73 * 144);
      const bare = new zarr.FetchStore(`${base}/climate`);
      await assert.rejects(() => zarr.open.v3(zarr.root(bare).resolve("air"), { kind: "array" }));
    },
    undefined,
    { tokens: ["s3cret"] },
  );
});

for (const { gen, ignore } of generations) {
  Deno.test({
    name: `${gen.name}: xarray reads a guarded store with storage_options headers`,
    ignore,
    async fn() {
      await withServer(
        [demoClimate()],
        async (base) => {
          const url = `${base}/climate`;
          const ok = await gen.python([here("./token_read.py"), url, "s3cret", "air"]);
          assert.equal(ok.code, 0, ok.out);
          assert.doesNotMatch(ok.out, /Warning/, ok.out);
          const j = JSON.parse(ok.stdout);
          assert.ok(j.ok, j.error);
          assert.deepEqual(j.dims, ["time", "lat", "lon"]);
          assert.ok(j.mean > 250 && j.mean < 320);
          // Without the token: the first document asked for (.zmetadata for zarr-python 2,
          // zarr.json for 3) is refused, and the user sees the 401.
          const bare = await gen.python([here("./token_read.py"), url, "-", "air"]);
          assert.equal(bare.code, 0, bare.out);
          const refused = JSON.parse(bare.stdout);
          assert.equal(refused.ok, false);
          assert.match(refused.error, /401/);
        },
        undefined,
        { tokens: ["s3cret"] },
      );
    },
  });
}
