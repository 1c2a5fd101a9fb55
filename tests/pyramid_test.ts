/**
 * Pyramids through zarrita (every level, v2 and v3), a template's pyramid that never enumerates,
 * the listings that name pyramids, and a live file's pyramid following its version.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { template } from "../src/sources/virtual/template.ts";
import { liveFile } from "../src/sources/live.ts";
import { withServer, withTempDir } from "./helpers.ts";
import { needs, PYTHON, pythonHas } from "./setup.ts";
import { run } from "./interop/run.ts";

/** A 2 x 1100 x 700 field of known values, with fill values (-9) in one corner. */
function field() {
  const [nt, ny, nx] = [2, 1100, 700];
  const v = new Float32Array(nt * ny * nx);
  for (let i = 0; i < v.length; i++) v[i] = (i % nx) + Math.floor(i / nx) % ny * 0.001;
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) v[y * nx + x] = -9;
  return { nt, ny, nx, v };
}

/** The mean of the valid values level k's cell (t, y, x) covers, computed from level 0. */
function expected(f: ReturnType<typeof field>, k: number, t: number, y: number, x: number) {
  const s = 2 ** k;
  let sum = 0, n = 0;
  for (let j = y * s; j < Math.min((y + 1) * s, f.ny); j++) {
    for (let i = x * s; i < Math.min((x + 1) * s, f.nx); i++) {
      const v = f.v[(t * f.ny + j) * f.nx + i];
      if (v !== -9) [sum, n] = [sum + v, n + 1];
    }
  }
  return n ? Math.fround(sum / n) : NaN;
}

Deno.test("zarrita reads every pyramid level, v2 and v3, equal to the mean of the valid values", async () => {
  const f = field();
  const ds = memoryDataset("field", {
    dims: { time: f.nt, y: f.ny, x: f.nx },
    variables: {
      y: {
        dims: ["y"],
        data: Float32Array.from({ length: f.ny }, (_, i) => i),
        attrs: { axis: "Y" },
      },
      x: {
        dims: ["x"],
        data: Float32Array.from({ length: f.nx }, (_, i) => i),
        attrs: { axis: "X" },
      },
      v: { dims: ["time", "y", "x"], data: f.v, chunks: [1, 256, 256], fillValue: -9 },
    },
  });
  await withServer([ds], async (base) => {
    const listing = await (await fetch(`${base}/`)).json();
    assert.equal(listing.datasets[0].pyramid, `${base}/pyramid/field`);
    const store = new zarr.FetchStore(`${base}/pyramid/field`);
    const rootAttrs = (await zarr.open.v3(zarr.root(store), { kind: "group" })).attrs;
    const layout = (rootAttrs.multiscales as { layout: { asset: string }[] }).layout;
    assert.deepEqual(layout.map((l) => l.asset), ["0", "1", "2"]); // 1100 -> 550 -> 275 <= 512
    for (const open of [zarr.open.v2, zarr.open.v3]) {
      for (const k of [1, 2]) {
        const arr = await open(zarr.root(store).resolve(`${k}/v`), { kind: "array" });
        assert.deepEqual(arr.shape, [2, Math.ceil(1100 / 2 ** k), Math.ceil(700 / 2 ** k)]);
        const got = await zarr.get(arr, [1, null, null]);
        const data = got.data as Float32Array;
        const w = arr.shape[2];
        for (const [y, x] of [[0, 0], [3, 7], [arr.shape[1] - 1, w - 1], [100, 150]]) {
          assert.equal(data[y * w + x], expected(f, k, 1, y, x), `level ${k} (${y}, ${x})`);
        }
        const first = await zarr.get(arr, [0, zarr.slice(0, 1), zarr.slice(0, 1)]);
        assert.equal((first.data as Float32Array)[0], expected(f, k, 0, 0, 0));
        const ys = await zarr.get(
          await open(zarr.root(store).resolve(`${k}/y`), { kind: "array" }),
        );
        assert.equal((ys.data as Float32Array)[1], (2 ** k + 2 ** (k + 1) - 1) / 2, "mean coords");
      }
    }
    // A person browsing the pyramid stays in it: its pages link to its levels and looks.
    const html = { headers: { accept: "text/html" } };
    const page = await (await fetch(`${base}/pyramid/field/`, html)).text();
    assert.match(page, /href="\/pyramid\/field\/1\/"/);
    const level = await (await fetch(`${base}/pyramid/field/1/v`, html)).text();
    const api = /data-api="([^"]+)"/.exec(level)![1];
    assert.equal(api, "/_zarrflask/look/pyramid/field/1/v");
    const look = await (await fetch(`${base}${api}?at=1`)).json();
    assert.deepEqual(look.shape, [2, 550, 350]);
    assert.equal(
      (await fetch(`${base}${look.field.png}`)).headers.get("content-type"),
      "image/png",
    );
    // Fill values covered whole give NaN at level 1 (the 5 x 5 corner covers cells 0..1).
    const l1 = await zarr.open.v3(zarr.root(store).resolve("1/v"), { kind: "array" });
    const corner = await zarr.get(l1, [0, zarr.slice(0, 1), zarr.slice(0, 1)]);
    assert.ok(Number.isNaN((corner.data as Float32Array)[0]));
  });
});

Deno.test("a template's pyramid of 10^9 chunks answers a coarse chunk from the chunks it covers only", async () => {
  let generated = 0;
  const ds = template("huge", {
    dims: { time: 1_000_000_000, lat: 1024, lon: 2048 },
    variables: {
      lat: {
        dims: ["lat"],
        dtype: "float32",
        chunks: [1024],
        attrs: { units: "degrees_north" },
        chunk: ({ start }) => Float32Array.from({ length: 1024 }, (_, i) => start[0] + i),
      },
      lon: {
        dims: ["lon"],
        dtype: "float32",
        chunks: [2048],
        attrs: { units: "degrees_east" },
        chunk: ({ start }) => Float32Array.from({ length: 2048 }, (_, i) => start[0] + i),
      },
      t: {
        dims: ["time", "lat", "lon"],
        dtype: "float32",
        chunks: [1, 512, 512],
        chunk: ({ start }) => {
          generated++;
          return new Float32Array(512 * 512).fill(start[0] % 7);
        },
      },
    },
  });
  await withServer([ds], async (base) => {
    const meta = await (await fetch(`${base}/pyramid/huge/.zmetadata`)).json();
    assert.deepEqual(meta.metadata["2/t/.zarray"].shape, [1_000_000_000, 256, 512]);
    const res = await fetch(`${base}/pyramid/huge/2/t/999999999.0.0`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(generated, 8, "level 2's one chunk read the 8 chunks of its time step only");
  });
});

Deno.test("a dataset without a 2-D grid has no pyramid: 404 with the reason, none listed", async () => {
  const ds = memoryDataset("series", {
    dims: { time: 3 },
    variables: { v: { dims: ["time"], data: new Float64Array([1, 2, 3]) } },
  });
  await withServer([ds], async (base) => {
    const res = await fetch(`${base}/pyramid/series/zarr.json`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /no pyramid: no 2-D horizontal grid/);
    const listing = await (await fetch(`${base}/`)).json();
    assert.equal(listing.datasets[0].pyramid, undefined);
  });
});

const noH5py = await needs("a live file's pyramid", pythonHas("h5py"), "python3-h5py (Debian)");

Deno.test({
  name: "a live file's pyramid follows its version when the file is replaced",
  ignore: noH5py,
  fn: () =>
    withTempDir(async (dir) => {
      const write = (value: number) =>
        run(PYTHON, [
          "-c",
          `import h5py, numpy as np, os
with h5py.File("${dir}/tmp.h5", "w") as f:
    f["v"] = np.full((600, 600), ${value}, "f4")
os.replace("${dir}/tmp.h5", "${dir}/g.h5")`,
        ]);
      assert.equal((await write(1)).code, 0);
      await withServer([liveFile(`${dir}/g.h5`, "g")], async (base) => {
        const level1 = async () => {
          const arr = await zarr.open.v3(
            zarr.root(new zarr.FetchStore(`${base}/pyramid/g`)).resolve("1/v"),
            { kind: "array" },
          );
          return ((await zarr.get(arr, [zarr.slice(0, 1), zarr.slice(0, 1)])).data as Float32Array)[
            0
          ];
        };
        assert.equal(await level1(), 1);
        assert.equal((await write(5)).code, 0);
        await new Promise((r) => setTimeout(r, 1100)); // past the live check's interval
        assert.equal(await level1(), 5);
      });
    }),
});

Deno.test("what a pyramid leaves out is said: text arrays stay at level 0, groups are not in it", async () => {
  const ds = memoryDataset("labels", {
    dims: { y: 600, x: 600 },
    variables: {
      v: { dims: ["y", "x"], data: new Float32Array(600 * 600).fill(1) },
      name: { dims: ["y", "x"], data: Array.from({ length: 600 * 600 }, () => "a") },
    },
    groups: { extra: { variables: { w: { dims: ["y"], data: new Float32Array(600) } } } },
  });
  await withServer([ds], async (base) => {
    const page = await (await fetch(`${base}/pyramid/labels/`, {
      headers: { accept: "text/html" },
    })).text();
    assert.match(page, /name: string values cannot be averaged: level 0 only/);
    assert.match(page, /extra\/: groups are not in the pyramid/);
    const meta = await (await fetch(`${base}/pyramid/labels/.zmetadata`)).json();
    assert.ok(meta.metadata["0/name/.zarray"]);
    assert.equal(meta.metadata["1/name/.zarray"], undefined);
    assert.deepEqual(meta.metadata["1/v/.zarray"].shape, [300, 300]);
  });
});
