/** In-memory datasets: built from typed arrays, read back by zarrita v2 and v3. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { withServer } from "./helpers.ts";

const ds = () =>
  memoryDataset("mem", {
    dims: { y: 5, x: 3 },
    attrs: { title: "in memory" },
    variables: {
      x: { dims: ["x"], data: new Float64Array([10, 20, 30]), attrs: { units: "m" } },
      z: {
        dims: ["y", "x"],
        data: Float32Array.from({ length: 15 }, (_, i) => i / 2),
        chunks: [2, 2],
        fillValue: NaN,
      },
      mask: { dims: ["x"], data: [true, false, true] },
      name: { dims: ["y"], data: ["a", "bb", "", "dddd", "é"], chunks: [2] },
      total: { dims: [], data: new Int32Array([7]) },
    },
    groups: {
      extra: { variables: { n: { dims: ["x"], data: new BigInt64Array([1n, -2n, 3n]) } } },
    },
  });

for (const format of ["v2", "v3"] as const) {
  Deno.test(`memory dataset through zarrita ${format}`, async () => {
    await withServer([ds()], async (base) => {
      const root = zarr.root(new zarr.FetchStore(`${base}/mem`));
      const open = (p: string) =>
        format === "v2"
          ? zarr.open.v2(root.resolve(p), { kind: "array" })
          : zarr.open.v3(root.resolve(p), { kind: "array" });
      const z = await zarr.get(await open("z"));
      assert.deepEqual(z.shape, [5, 3]);
      assert.deepEqual(
        Array.from(z.data as Float32Array),
        Array.from({ length: 15 }, (_, i) => i / 2),
      );
      const mask = await zarr.get(await open("mask"));
      assert.deepEqual([0, 1, 2].map((i) => (mask.data as { get(i: number): boolean }).get(i)), [
        true,
        false,
        true,
      ]);
      const names = await zarr.get(await open("name"));
      assert.deepEqual(Array.from(names.data as string[]), ["a", "bb", "", "dddd", "é"]);
      assert.equal(await zarr.get(await open("total")), 7);
      const n = await zarr.get(await open("extra/n"));
      assert.deepEqual(Array.from(n.data as BigInt64Array), [1n, -2n, 3n]);
      const x = await open("x");
      assert.equal(x.attrs.units, "m");
    });
  });
}

Deno.test("memory dataset errors name the variable", () => {
  assert.throws(
    () =>
      memoryDataset("bad", {
        dims: { x: 3 },
        variables: { v: { dims: ["x"], data: new Float32Array(4) } },
      }),
    /variable v: data has 4 values/,
  );
  assert.throws(
    () => memoryDataset("bad", { variables: { v: { dims: ["q"], data: new Float32Array(4) } } }),
    /variable v: dimension "q" has no size/,
  );
});
