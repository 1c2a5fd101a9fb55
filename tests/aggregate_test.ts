/** Multi-file aggregation: lengths of 28-31 per file, chunks across file boundaries. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { aggregate } from "../src/sources/virtual/aggregate.ts";
import type { ArrayNode } from "../src/model/types.ts";
import { MONTH_DAYS, writeMonthlyFiles } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

const DAYS = MONTH_DAYS.reduce((a, b) => a + b, 0);

Deno.test("monthly files concatenate along the unlimited dimension", async () => {
  await withTempDir(async (dir) => {
    const files = await writeMonthlyFiles(dir);
    const ds = await aggregate(files, { name: "clim" });
    const temp = ds.root.children.get("temp") as ArrayNode;
    assert.deepEqual(temp.shape, [DAYS, 3]);
    assert.deepEqual(temp.chunks, [10, 3], "the first file's chunks: a regular grid");
    assert.deepEqual((ds.root.children.get("mask") as ArrayNode).shape, [3], "no time: first file");
    // chunk 3 covers days 30..39: the end of January and the start of February
    const chunk = (await temp.readChunk([3, 0])) as Uint8Array;
    const f = new Float32Array(chunk.buffer, chunk.byteOffset, 30);
    assert.deepEqual(
      Array.from(f),
      Array.from({ length: 30 }, (_, i) => (30 + Math.floor(i / 3)) * 10 + (i % 3)),
    );
    for (const format of ["v2", "v3"] as const) {
      await withServer([ds], async (base) => {
        const root = zarr.root(new zarr.FetchStore(`${base}/clim`));
        const open = (p: string) =>
          format === "v2"
            ? zarr.open.v2(root.resolve(p), { kind: "array" })
            : zarr.open.v3(root.resolve(p), { kind: "array" });
        const t = await zarr.get(await open("temp"));
        const values = Array.from(t.data as Float32Array);
        assert.equal(values.length, DAYS * 3);
        assert.ok(values.every((v, i) => v === Math.floor(i / 3) * 10 + (i % 3)), `${format} temp`);
        const time = await zarr.get(await open("time"));
        assert.deepEqual(
          Array.from(time.data as Float64Array),
          Array.from({ length: DAYS }, (_, i) => i),
        );
        const mask = await zarr.get(await open("mask"));
        assert.deepEqual(Array.from(mask.data as Int8Array), [1, 0, 0]);
      });
    }
  });
});

Deno.test("aggregation errors name the file and the problem", async () => {
  await withTempDir(async (dir) => {
    const files = await writeMonthlyFiles(dir, 3, { month: 2, units: "hours since 2001-01-01" });
    await assert.rejects(() => aggregate(files), /clim_0003\.nc: "time" has units "hours since/);
    await assert.rejects(
      () => aggregate(files.slice(0, 2), { concat: "depth" }),
      /no dimension "depth"/,
    );
    await assert.rejects(() => aggregate([]), /no files/);
    const other = await Deno.makeTempDir({ dir });
    const mixed = await writeMonthlyFiles(other, 3, { month: 1, lats: 4 });
    await assert.rejects(
      () => aggregate(mixed),
      /clim_0002\.nc: dimension "lat" has length 4, but .*clim_0001\.nc has 3/,
      "a file that does not fit is named when opening",
    );
  });
});
