/** Computed variables over in-memory data, files and aggregations, read by zarrita v2/v3. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { withComputed } from "../src/sources/virtual/computed.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { aggregate } from "../src/sources/virtual/aggregate.ts";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import type { ArrayNode } from "../src/model/types.ts";
import type { NumericArray } from "../src/model/values.ts";
import { writeMonthlyFiles, writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

async function readAll(base: string, name: string, path: string, format: "v2" | "v3") {
  const loc = zarr.root(new zarr.FetchStore(`${base}/${name}`)).resolve(path);
  const arr = format === "v2"
    ? await zarr.open.v2(loc, { kind: "array" })
    : await zarr.open.v3(loc, { kind: "array" });
  return { arr, data: (await zarr.get(arr)).data as Float32Array };
}

Deno.test("wind speed from u and v, computed per chunk", async () => {
  const n = 50;
  const u = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const v = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i / 3));
  let calls = 0;
  const base = memoryDataset("wind", {
    dims: { y: n, x: n },
    variables: {
      u: { dims: ["y", "x"], data: u, chunks: [20, 20] },
      v: { dims: ["y", "x"], data: v, chunks: [20, 20] },
    },
  });
  const ds = withComputed(base, {
    speed: {
      inputs: ["u", "v"],
      dtype: "float32",
      attrs: { units: "m s-1", long_name: "wind speed" },
      fillValue: NaN,
      compute: ([a, b]) => {
        calls++;
        return (a as Float32Array).map((x, i) => Math.hypot(x, (b as Float32Array)[i]));
      },
    },
  });
  for (const format of ["v2", "v3"] as const) {
    calls = 0;
    await withServer([ds], async (url) => {
      const one = await fetch(`${url}/wind/speed/${format === "v2" ? "0.0" : "c/0/0"}`);
      await one.body?.cancel();
      assert.equal(calls, 1, "a request computes only the chunk asked for");
      const { arr, data } = await readAll(url, "wind", "speed", format);
      assert.equal(arr.attrs.units, "m s-1");
      for (let i = 0; i < n * n; i++) {
        assert.ok(Math.abs(data[i] - Math.fround(Math.hypot(u[i], v[i]))) < 1e-6);
      }
    });
  }
});

Deno.test("a unit conversion on a file and on an aggregation", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/f.nc`);
    const file = await openHdf5(`${dir}/f.nc`);
    const celsius = {
      inputs: ["temp"],
      dtype: "float32" as const,
      attrs: { units: "degC" },
      compute: ([k]: NumericArray[]) => Float32Array.from(k as Float32Array, (x) => x - 273.15),
    };
    const ds = withComputed(file, { temp_c: celsius }, "f");
    const files = await writeMonthlyFiles(dir, 3);
    const agg = withComputed(await aggregate(files, { name: "clim" }), { temp_c: celsius });
    await withServer([ds, agg], async (url) => {
      for (const [name, source] of [["f", file], ["clim", agg]] as const) {
        const k = (await readAll(url, name, "temp", "v3")).data;
        const c = (await readAll(url, name, "temp_c", "v2")).data;
        assert.equal(c.length, k.length);
        for (let i = 0; i < k.length; i++) {
          if (Number.isNaN(k[i])) assert.ok(Number.isNaN(c[i]));
          else assert.equal(c[i], Math.fround(k[i] - 273.15), `${name}[${i}]`);
        }
        assert.ok((source.root.children.get("temp") as ArrayNode).shape.length > 1);
      }
    });
  });
});

Deno.test("computed variables name their mistakes", () => {
  const base = memoryDataset("m", {
    dims: { x: 4, y: 2 },
    variables: {
      a: { dims: ["x"], data: new Float32Array(4) },
      b: { dims: ["y"], data: new Float32Array(2) },
    },
  });
  const f = () => new Float32Array(4);
  assert.throws(
    () => withComputed(base, { c: { inputs: ["zz"], dtype: "float32", compute: f } }),
    /c: no input variable "zz"/,
  );
  assert.throws(
    () => withComputed(base, { c: { inputs: ["a", "b"], dtype: "float32", compute: f } }),
    /input "b" has shape 2/,
  );
});
