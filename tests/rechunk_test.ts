/** Chunk overrides and coalescing small stored chunks into larger Zarr chunks. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { coalesce, rechunk } from "../src/sources/virtual/rechunk.ts";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import type { ArrayNode } from "../src/model/types.ts";
import { writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

Deno.test("rechunked and coalesced stores read back the same values", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/f.nc`);
    const file = await openHdf5(`${dir}/f.nc`, { name: "plain" });
    const byDim = { ...rechunk(file, { time: 5, lon: 3 }), name: "rechunked" };
    const grown = { ...coalesce(file, 1 << 10), name: "coalesced" };
    const temp = (d: typeof file) => d.root.children.get("temp") as ArrayNode;
    assert.deepEqual(temp(file).chunks, [2, 3, 4]);
    assert.deepEqual(temp(byDim).chunks, [5, 3, 3]);
    assert.ok(
      temp(grown).chunks.every((c, i) =>
        c % temp(file).chunks[i] === 0 && c >= temp(file).chunks[i]
      ),
    );
    assert.ok(temp(grown).chunks.some((c, i) => c > temp(file).chunks[i]), "chunks grew");
    assert.equal(temp(grown).stored, undefined, "stored chunks no longer line up");
    await withServer([file, byDim, grown], async (base) => {
      const read = async (name: string, path: string) => {
        const arr = await zarr.open.v2(
          zarr.root(new zarr.FetchStore(`${base}/${name}`)).resolve(path),
          {
            kind: "array",
          },
        );
        return Array.from((await zarr.get(arr)).data as ArrayLike<number>);
      };
      for (const path of ["temp", "packed", "sub/humidity", "time"]) {
        const want = await read("plain", path);
        assert.deepEqual(await read("rechunked", path), want, `rechunked ${path}`);
        assert.deepEqual(await read("coalesced", path), want, `coalesced ${path}`);
      }
    });
  });
});
