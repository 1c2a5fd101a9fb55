/** HDF5 source: structure, dims, attributes, and a zarrita round trip of every dtype. */
import assert from "node:assert/strict";
import h5wasm from "h5wasm/node";
import * as zarr from "zarrita";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { findNode } from "../src/model/tree.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { createStore } from "../src/zarr/store.ts";
import { compressorFromSpec } from "../src/codecs/registry.ts";
import { SHAPE, writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

async function withFixture<T>(fn: (ds: Dataset, path: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (dir) => {
    const path = `${dir}/fixture.nc`;
    await writeNetcdfLike(path);
    return await fn(await openHdf5(path, { chunkBytes: 64 }), path);
  });
}

function arrayAt(ds: Dataset, path: string): ArrayNode {
  const node = findNode(ds.root, path);
  assert.equal(node?.kind, "array", `${path} should be an array`);
  return node as ArrayNode;
}

Deno.test("netCDF-4 structure: dims, hidden bookkeeping, groups, chunks", async () => {
  await withFixture((ds) => {
    assert.equal(ds.name, "fixture");
    assert.deepEqual(ds.warnings, []);
    const names = [...ds.root.children.keys()];
    assert.ok(!names.includes("nv"), "a dimension without a variable is not a variable");
    assert.ok(names.includes("sub") && names.includes("temp"));
    assert.deepEqual(ds.root.attrs, { Conventions: "CF-1.8", title: "zarrflask fixture" });

    const temp = arrayAt(ds, "temp");
    assert.deepEqual(temp.dims, ["time", "lat", "lon"]);
    assert.deepEqual(temp.chunks, [2, 3, 4], "HDF5 chunks become Zarr chunks");
    assert.ok(Number.isNaN(temp.fillValue as number));
    assert.deepEqual(temp.attrs.units, "K");
    assert.deepEqual(temp.attrs.valid_range, [150, 350]);
    for (const hidden of ["_Netcdf4Coordinates", "DIMENSION_LIST", "_FillValue", "CLASS"]) {
      assert.ok(!(hidden in temp.attrs), `${hidden} is hidden`);
    }
    const time = arrayAt(ds, "time");
    assert.deepEqual(time.dims, ["time"]);
    assert.deepEqual(Object.keys(time.attrs).sort(), ["calendar", "units"]);

    const packed = arrayAt(ds, "packed");
    assert.equal(packed.fillValue, -32767);
    assert.deepEqual(packed.dtype, { kind: "int", size: 2 });
    assert.ok(Math.abs((packed.attrs.scale_factor as number) - 0.01) < 1e-8);
    // contiguous, split along the leading dims to about chunkBytes (64 bytes here)
    assert.deepEqual(packed.chunks, [1, 3, 9]);

    assert.deepEqual(arrayAt(ds, "lat_bnds").dims, ["lat", "nv"]);
    const [p0, p1] = arrayAt(ds, "plain").dims;
    assert.ok(p0.startsWith("phony_dim_") && p1.startsWith("phony_dim_") && p0 !== p1);
    assert.deepEqual(
      arrayAt(ds, "i64").dims,
      arrayAt(ds, "u64").dims,
      "same length, same phony dim",
    );
    assert.deepEqual(arrayAt(ds, "sub/humidity").dims, ["lat", "lon"]);
    assert.deepEqual(arrayAt(ds, "scalar").shape, []);
    assert.deepEqual(arrayAt(ds, "complex").dtype, { kind: "complex", size: 8 });
    assert.deepEqual(arrayAt(ds, "fixed").dtype, { kind: "bytes", size: 5 });
    assert.deepEqual(arrayAt(ds, "names").dtype, { kind: "string" });
    assert.equal(arrayAt(ds, "record").dtype.kind, "struct");
    assert.equal(findNode(ds.root, "sub/deeper")?.kind, "group");
    return Promise.resolve();
  });
});

/** The direct h5wasm read of a dataset, flattened to plain JS values. */
function direct(file: InstanceType<typeof h5wasm.File>, path: string): unknown[] {
  const v = (file.get(path) as InstanceType<typeof h5wasm.Dataset>).value;
  if (typeof v === "number" || typeof v === "string") return [v];
  return Array.from(v as ArrayLike<unknown>);
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || a === b;
  }
  return a === b;
}

function toValues(data: unknown): unknown[] {
  if (data && typeof data === "object" && "get" in data && "length" in data) {
    const d = data as { get(i: number): unknown; length: number };
    return Array.from({ length: d.length }, (_, i) => d.get(i));
  }
  if (ArrayBuffer.isView(data) || Array.isArray(data)) {
    return Array.from(data as ArrayLike<unknown>);
  }
  return [data];
}

const ZARRITA_VARS = [
  "time",
  "lat",
  "temp",
  "packed",
  "lat_bnds",
  "i8",
  "u8",
  "i16",
  "u16",
  "i32",
  "u32",
  "f64",
  "i64",
  "u64",
  "scalar",
  "fixed",
  "chars",
  "names",
  "plain",
  "sub/humidity",
  "sub/deeper/flag",
];

const VARIANTS = [
  { format: "v2", consolidated: false, shardBytes: undefined, streamBytes: undefined },
  { format: "v2", consolidated: true, shardBytes: undefined, streamBytes: undefined },
  { format: "v3", consolidated: false, shardBytes: undefined, streamBytes: undefined },
  { format: "v3", consolidated: true, shardBytes: undefined, streamBytes: undefined },
  { format: "v3", consolidated: true, shardBytes: 256, streamBytes: undefined },
  { format: "v2", consolidated: true, shardBytes: undefined, streamBytes: 1 },
] as const;

for (const { format, consolidated, shardBytes, streamBytes } of VARIANTS) {
  {
    const label = `${format}${consolidated ? " consolidated" : ""}${shardBytes ? " sharded" : ""}${
      streamBytes ? " streamed" : ""
    }`;
    Deno.test(`zarrita ${label} reads every variable as h5wasm does`, async () => {
      await withFixture(async (ds, path) => {
        const file = new h5wasm.File(path, "r");
        try {
          await withServer(
            [ds],
            async (base) => {
              if (shardBytes) {
                const doc = await (await fetch(`${base}/fixture/temp/zarr.json`)).json();
                assert.equal(doc.codecs[0].name, "sharding_indexed");
              }
              let store: zarr.Readable = new zarr.FetchStore(`${base}/fixture`);
              if (consolidated) {
                store = await zarr.withConsolidatedMetadata(store, { format });
              }
              // zarrita has no v3 fixed-length bytes type; their v3 metadata is checked elsewhere.
              const names = format === "v2"
                ? ZARRITA_VARS
                : ZARRITA_VARS.filter((n) => n !== "fixed" && n !== "chars");
              for (const name of names) {
                const loc = zarr.root(store).resolve(name);
                const arr = format === "v2"
                  ? await zarr.open.v2(loc, { kind: "array" })
                  : await zarr.open.v3(loc, { kind: "array" });
                const got: unknown = await zarr.get(arr);
                // zarrita returns a 0-d array's value bare, and { data, shape } otherwise.
                const data = arr.shape.length === 0 ? got : (got as { data: unknown }).data;
                const want = direct(file, `/${name}`);
                const values: unknown[] = toValues(data).map((x) =>
                  typeof x === "bigint" ? x : typeof x === "string" ? x.replace(/\0+$/, "") : x
                );
                assert.equal(values.length, want.length, `${name}: length`);
                for (let i = 0; i < want.length; i++) {
                  assert.ok(
                    same(values[i], want[i]),
                    `${name}[${i}]: got ${values[i]}, want ${want[i]}`,
                  );
                }
              }
            },
            undefined,
            { shardBytes },
          );
        } finally {
          file.close();
        }
      });
    });
  }
}

Deno.test("complex and compound chunks decode to h5wasm's values", async () => {
  await withFixture(async (ds, path) => {
    const compressor = compressorFromSpec("zstd");
    const store = createStore(ds, { compressor });
    const c = await store.get("complex/0");
    assert.equal(c.kind, "chunk");
    const bytes = await compressor.decode((c as { body: Uint8Array }).body);
    assert.deepEqual(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 6)), [
      1,
      2,
      3,
      4,
      -1,
      0.5,
    ]);
    const r = await store.get("record/0");
    const rb = await compressor.decode((r as { body: Uint8Array }).body);
    const view = new DataView(rb.buffer, rb.byteOffset, rb.byteLength);
    const file = new h5wasm.File(path, "r");
    try {
      const want = (file.get("record") as InstanceType<typeof h5wasm.Dataset>).value as number[][];
      const size = 4 + 4; // h5wasm writes both members as 4-byte
      assert.equal(rb.length, 2 * size);
      for (let i = 0; i < 2; i++) {
        assert.equal(view.getInt32(i * size, true), want[i][0]);
        assert.equal(view.getFloat32(i * size + 4, true), want[i][1]);
      }
    } finally {
      file.close();
    }
    const meta = JSON.parse(
      new TextDecoder().decode((await store.get("record/.zarray") as { body: Uint8Array }).body),
    );
    assert.deepEqual(meta.dtype, [["a", "<i4"], ["b", "<f4"]]);
  });
});

Deno.test("edge chunks are padded with the fill value", async () => {
  await withFixture(async (ds) => {
    const temp = arrayAt(ds, "temp");
    // lon has 9 points in chunks of 4: the third chunk holds 1 real column and 3 of padding.
    const chunk = (await temp.readChunk([2, 2, 2])) as Uint8Array;
    const f = new Float32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 4);
    assert.equal(f.length, 2 * 3 * 4);
    // time has 5 steps in chunks of 2: the last chunk's second step is all padding
    for (let i = 12; i < 24; i++) assert.ok(Number.isNaN(f[i]));
    const packed = arrayAt(ds, "packed");
    assert.deepEqual(packed.shape, [SHAPE.time, SHAPE.lat, SHAPE.lon]);
    const last = (await packed.readChunk([4, 2, 0])) as Uint8Array;
    const p = new Int16Array(last.buffer, last.byteOffset, last.byteLength / 2);
    assert.equal(p.length, 27);
    for (let i = 9; i < 27; i++) assert.equal(p[i], -32767, "lat 7 in chunks of 3 pads two rows");
  });
});

Deno.test("a file that is not HDF5, or is truncated, is named with the reason", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.nc`, "this is not a netCDF file at all");
    await assert.rejects(() => openHdf5(`${dir}/bad.nc`), /bad\.nc: not a netCDF or HDF5 file/);
    await Deno.writeFile(
      `${dir}/classic.nc`,
      new Uint8Array([0x43, 0x44, 0x46, 1, 0, 0, 0, 0, 0, 0]),
    );
    await assert.rejects(
      () => openHdf5(`${dir}/classic.nc`),
      /classic\.nc: a netCDF-3 \(classic\) file/,
    );
    await writeNetcdfLike(`${dir}/good.nc`);
    const whole = await Deno.readFile(`${dir}/good.nc`);
    await Deno.writeFile(`${dir}/cut.nc`, whole.subarray(0, 1200));
    await assert.rejects(() => openHdf5(`${dir}/cut.nc`), /cut\.nc: /);
    await assert.rejects(() => openHdf5(`${dir}/missing.nc`), /missing\.nc: /);
    const good = await openHdf5(`${dir}/good.nc`);
    assert.ok(good.root.children.size > 5, "the good file still opens after the bad ones");
  });
});

Deno.test("a streamed stored chunk answers GET, HEAD and Range like any other", async () => {
  await withFixture(async (ds) => {
    const plain = await withServer([ds], async (base) => {
      const r = await fetch(`${base}/fixture/temp/0.0.0`);
      return new Uint8Array(await r.arrayBuffer());
    });
    await withServer(
      [ds],
      async (base) => {
        const url = `${base}/fixture/temp/0.0.0`;
        const whole = new Uint8Array(await (await fetch(url)).arrayBuffer());
        assert.deepEqual(whole, plain, "streamed bytes equal the whole-read bytes");
        const head = await fetch(url, { method: "HEAD" });
        await head.body?.cancel();
        assert.equal(Number(head.headers.get("content-length")), whole.length);
        const part = await fetch(url, { headers: { range: "bytes=3-9" } });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get("content-range"), `bytes 3-9/${whole.length}`);
        assert.deepEqual(new Uint8Array(await part.arrayBuffer()), whole.subarray(3, 10));
      },
      undefined,
      { streamBytes: 1 },
    );
  });
});

Deno.test("an integer variable's _FillValue that its type cannot hold is left out, named", async () => {
  await withTempDir(async (dir) => {
    await h5wasm.ready;
    const f = new h5wasm.File(`${dir}/f.h5`, "w");
    const ok = f.create_dataset({ name: "ok", data: new Int16Array([1, 2, 3]) });
    ok.create_attribute("_FillValue", new Int16Array([-1]));
    const bad = f.create_dataset({ name: "bad", data: new Int16Array([1, 2, 3]) });
    bad.create_attribute("_FillValue", new Float64Array([1.5]));
    f.close();
    const ds = await openHdf5(`${dir}/f.h5`);
    assert.equal(arrayAt(ds, "ok").fillValue, -1);
    assert.equal(arrayAt(ds, "bad").fillValue, null, "never 1 (which xarray would mask)");
    assert.deepEqual(ds.warnings, ["/bad: _FillValue left out: 1.5 is not a int16"]);
  });
});
