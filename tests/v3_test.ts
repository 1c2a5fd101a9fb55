/** Zarr v3 view: document structure, consolidated metadata, sharding. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { walk } from "../src/model/tree.ts";
import { type ArrayNode, type Dataset, MissingChunkError } from "../src/model/types.ts";
import { compressorFromSpec } from "../src/codecs/registry.ts";
import { createStore } from "../src/zarr/store.ts";
import { writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

const ARRAY_TO_BYTES = new Set(["bytes", "vlen-utf8", "sharding_indexed"]);

/** Checks one v3 document against what the v3 core spec requires; returns the problems. */
function v3Problems(doc: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, what: string) => cond || problems.push(`${path}: ${what}`);
  need(doc.zarr_format === 3, "zarr_format must be 3");
  need(doc.node_type === "group" || doc.node_type === "array", "node_type");
  need(typeof doc.attributes === "object" && doc.attributes !== null, "attributes object");
  if (doc.node_type === "group") return problems;
  const shape = doc.shape as number[];
  need(Array.isArray(shape) && shape.every((n) => Number.isInteger(n) && n >= 0), "shape");
  need(typeof doc.data_type === "string" || typeof doc.data_type === "object", "data_type");
  const grid = doc.chunk_grid as { name: string; configuration: { chunk_shape: number[] } };
  need(grid?.name === "regular", "chunk_grid regular");
  need(grid?.configuration?.chunk_shape?.length === shape.length, "chunk_shape rank");
  const cke = doc.chunk_key_encoding as { name: string; configuration: { separator: string } };
  need(cke?.name === "default" && cke.configuration.separator === "/", "chunk_key_encoding");
  need("fill_value" in doc && doc.fill_value !== null, "fill_value present, not null");
  const codecs = doc.codecs as { name: string }[];
  need(Array.isArray(codecs) && codecs.length > 0, "codecs");
  need(codecs.filter((c) => ARRAY_TO_BYTES.has(c.name)).length === 1, "one array->bytes codec");
  const dims = doc.dimension_names as string[];
  need(Array.isArray(dims) && dims.length === shape.length, "dimension_names");
  need(!("_ARRAY_DIMENSIONS" in (doc.attributes as object)), "no _ARRAY_DIMENSIONS");
  need(!("dtype" in doc) && !("chunks" in doc), "no v2 fields");
  return problems;
}

async function fixture<T>(fn: (ds: Dataset, path: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/fixture.nc`);
    return await fn(await openHdf5(`${dir}/fixture.nc`), `${dir}/fixture.nc`);
  });
}

async function json(store: ReturnType<typeof createStore>, key: string) {
  const r = await store.get(key);
  assert.equal(r.kind, "json", key);
  return JSON.parse(new TextDecoder().decode((r as { body: Uint8Array }).body));
}

Deno.test("every v3 document has the structure the spec requires", async () => {
  await fixture(async (ds) => {
    for (const shardBytes of [undefined, 1 << 10]) {
      const store = createStore(ds, { compressor: compressorFromSpec("zstd"), shardBytes });
      const root = await json(store, "zarr.json");
      assert.equal(root.consolidated_metadata.kind, "inline");
      assert.equal(root.consolidated_metadata.must_understand, false);
      for (const [path, node] of walk(ds.root)) {
        const doc = await json(store, path ? `${path}/zarr.json` : "zarr.json");
        assert.deepEqual(v3Problems(doc, path), []);
        if (path) {
          const inline = { ...root.consolidated_metadata.metadata[path] };
          assert.deepEqual(inline, doc, `consolidated entry for ${path} equals its zarr.json`);
        }
        if (node.kind === "array") assert.deepEqual(doc.dimension_names, node.dims);
      }
    }
  });
});

Deno.test("v3 fill values, data types and codecs", async () => {
  await fixture(async (ds) => {
    const decoded = createStore(ds, {
      compressor: compressorFromSpec("gzip:3"),
      passthrough: "off",
    });
    const t = await json(decoded, "temp/zarr.json");
    assert.deepEqual(t.codecs, [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "gzip", configuration: { level: 3 } },
    ]);
    const store = createStore(ds, { compressor: compressorFromSpec("gzip:3") });
    const temp = await json(store, "temp/zarr.json");
    assert.equal(temp.fill_value, "NaN");
    assert.equal(temp.data_type, "float32");
    assert.deepEqual(temp.codecs, [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "numcodecs.zlib", configuration: { level: 4 } },
    ], "the file's deflate level 4 passes through as zlib");
    assert.deepEqual(temp.attributes.units, "K");
    assert.deepEqual((await json(store, "complex/zarr.json")).fill_value, [0, 0]);
    assert.equal((await json(store, "complex/zarr.json")).data_type, "complex64");
    const names = await json(store, "names/zarr.json");
    assert.equal(names.data_type, "string");
    assert.equal(names.codecs[0].name, "vlen-utf8");
    assert.equal((await json(store, "i64/zarr.json")).data_type, "int64");
    assert.equal((await json(store, "packed/zarr.json")).fill_value, -32767);
    assert.equal((await store.get("scalar/c")).kind, "chunk", "0-d chunk key is c");
    assert.equal((await store.get("temp/c/0/0")).kind, "invalid", "wrong rank");
    const v2 = await store.get("temp/0.0.0");
    const v3 = await store.get("temp/c/0/0/0");
    assert.deepEqual(v2, v3, "one model: a chunk is the same bytes in both views");
  });
});

Deno.test("zarrita opens a whole dataset from one consolidated metadata request", async () => {
  await fixture(async (ds) => {
    await withServer([ds], async (base) => {
      const fetched: string[] = [];
      const inner = new zarr.FetchStore(`${base}/fixture`);
      const counting: zarr.AsyncReadable = {
        get: (key, opts) => {
          fetched.push(key);
          return inner.get(key, opts);
        },
        getRange: (key, range, opts) => {
          fetched.push(key);
          return inner.getRange!(key, range, opts);
        },
      };
      const store = await zarr.withConsolidatedMetadata(counting, { format: "v3" });
      const root = zarr.root(store);
      for (const [path, node] of walk(ds.root)) {
        // zarrita has no fixed-length bytes, structured or complex types; open every other array
        if (node.kind === "array" && !["bytes", "struct", "complex"].includes(node.dtype.kind)) {
          await zarr.open.v3(root.resolve(path), { kind: "array" });
        }
      }
      assert.deepEqual(fetched.filter((k) => k.endsWith("zarr.json")), ["/zarr.json"]);
    });
  });
});

/** A 2-D array of 10 x 10 chunks of 3 x 4, with a partial edge and some absent chunks. */
function hundredChunks(): Dataset {
  const ny = 29, nx = 38; // 10 x 10 chunks, the last row and column partial
  const data = Float64Array.from({ length: ny * nx }, (_, i) => i * 0.5);
  const base = memoryDataset("grid", {
    dims: { y: ny, x: nx },
    variables: { v: { dims: ["y", "x"], data, chunks: [3, 4], fillValue: -1 } },
  });
  const v = base.root.children.get("v") as ArrayNode;
  const holey: ArrayNode = {
    ...v,
    readChunk: (c) => {
      if ((c[0] + c[1]) % 7 === 0) throw new MissingChunkError(`chunk ${c} is absent`);
      return v.readChunk(c);
    },
  };
  return {
    ...base,
    root: { kind: "group", attrs: {}, children: new Map([["v", v], ["holey", holey]]) },
  };
}

Deno.test("sharded reads equal unsharded ones, with partial shards and empty inner chunks", async () => {
  const ds = hundredChunks();
  const read = async (base: string, path: string) => {
    const arr = await zarr.open.v3(zarr.root(new zarr.FetchStore(`${base}/grid`)).resolve(path), {
      kind: "array",
    });
    return { arr, values: Array.from((await zarr.get(arr)).data as Float64Array) };
  };
  const plain = await withServer([ds], async (base) => ({
    v: (await read(base, "v")).values,
    holey: (await read(base, "holey")).values,
  }));
  // 12 x 12 x 8 bytes x 4 inner chunks: shards of 4 x 2 or 2 x 4 chunks, partial at the edges
  await withServer(
    [ds],
    async (base) => {
      const v = await read(base, "v");
      assert.deepEqual(v.values, plain.v);
      assert.deepEqual((await read(base, "holey")).values, plain.holey);
      assert.ok(plain.holey.includes(-1), "absent inner chunks read as the fill value");
      const doc = await (await fetch(`${base}/grid/v/zarr.json`)).json();
      assert.equal(doc.codecs[0].name, "sharding_indexed");
      assert.deepEqual(doc.codecs[0].configuration.chunk_shape, [3, 4]);
      // The last shard is partial: inner chunks past the array's edge are empty in the index.
      const shard = doc.chunk_grid.configuration.chunk_shape as number[];
      const per = [shard[0] / 3, shard[1] / 4];
      const last = [Math.ceil(29 / shard[0]) - 1, Math.ceil(38 / shard[1]) - 1];
      const res = await fetch(`${base}/grid/v/c/${last[0]}/${last[1]}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const n = per[0] * per[1];
      const index = new DataView(bytes.buffer, bytes.length - 16 * n);
      const EMPTY = 0xffffffffffffffffn;
      let present = 0, end = 0;
      for (let j = 0; j < n; j++) {
        const [cy, cx] = [
          last[0] * per[0] + Math.floor(j / per[1]),
          last[1] * per[1] + (j % per[1]),
        ];
        const off = index.getBigUint64(16 * j, true), len = index.getBigUint64(16 * j + 8, true);
        if (cy >= 10 || cx >= 10) assert.equal(off, EMPTY, `inner ${cy},${cx} is outside`);
        else {
          present++;
          end = Math.max(end, Number(off + len));
        }
      }
      assert.ok(present > 0 && present < n, "a partial shard");
      assert.equal(end, bytes.length - 16 * n, "inner chunks fill the bytes before the index");
      // a suffix Range request reads the index alone
      const tail = await fetch(`${base}/grid/v/c/0/0`, { headers: { range: `bytes=-${16 * n}` } });
      assert.equal(tail.status, 206);
      assert.equal((await tail.arrayBuffer()).byteLength, 16 * n);
    },
    undefined,
    { shardBytes: 1 << 10 },
  );
});
