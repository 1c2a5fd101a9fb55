/**
 * netCDF-3 as a source: files written by netCDF4-python in all three formats
 * (and by scipy), read through zarrita (v2, v3, sharded), aggregated,
 * computed over; malformed headers named in one line.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { openFile } from "../src/sources/files.ts";
import { aggregate } from "../src/sources/virtual/aggregate.ts";
import { withComputed } from "../src/sources/virtual/computed.ts";
import { findNode } from "../src/model/tree.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { withServer, withTempDir } from "./helpers.ts";
import { needs, PYTHON, pythonHas } from "./setup.ts";

const WRITER = `
import sys, netCDF4, numpy as np
out, fmt = sys.argv[1], sys.argv[2]
nc = netCDF4.Dataset(out, "w", format=fmt)
nc.title = "température °C"
nc.ints = np.array([1, -2, 3], "i4")
nc.createDimension("time", None); nc.createDimension("x", 3); nc.createDimension("s", 4)
t = nc.createVariable("time", "f8", ("time",)); t.units = "days since 2000-01-01"
a = nc.createVariable("a", "f4", ("time", "x"), fill_value=np.float32(-1))
b = nc.createVariable("b", "i2", ("time",))
c = nc.createVariable("c", "S1", ("time", "s"))
z = nc.createVariable("z", "f8", ("x",))
n = int(sys.argv[3])
t[:] = np.arange(n); a[:] = np.arange(n * 3).reshape(n, 3); b[:] = np.arange(n) * 10
c[:] = netCDF4.stringtochar(np.array([("r%d" % i).encode() for i in range(n)], "S4"))
z[:] = [1.5, 2.5, 3.5]
g = nc.createVariable("g", "f4", ("time", "x", "s")); g[:] = np.arange(n * 12).reshape(n, 3, 4)
if fmt == "NETCDF3_64BIT_DATA":
    u = nc.createVariable("u8", "u8", ("x",)); u[:] = [0, 2**63 + 5, 2**64 - 1]
    nc.big = np.uint64(9223372036854775813)
nc.close()
`;

const ignore = await needs("netCDF-3 tests", pythonHas("netCDF4"), "python3-netcdf4 (Debian)");

async function write(path: string, format: string, records = 5): Promise<string> {
  const res = await new Deno.Command(PYTHON, {
    args: ["-c", WRITER, path, format, String(records)],
  })
    .output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  return path;
}

function arrayAt(ds: Dataset, path: string): ArrayNode {
  const node = findNode(ds.root, path);
  assert.equal(node?.kind, "array", path);
  return node as ArrayNode;
}

async function readVar(base: string, store: string, name: string, format: 2 | 3) {
  const loc = zarr.root(new zarr.FetchStore(`${base}/${store}`)).resolve(name);
  const arr = format === 2
    ? await zarr.open.v2(loc, { kind: "array" })
    : await zarr.open.v3(loc, { kind: "array" });
  return Array.from((await zarr.get(arr)).data as ArrayLike<number | bigint>);
}

Deno.test({
  name: "netCDF-3 classic, 64-bit offset and CDF-5 read through zarrita, v2, v3 and sharded",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      for (const format of ["NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF3_64BIT_DATA"]) {
        const ds = await openFile(await write(`${dir}/f.nc`, format), { name: "f" });
        assert.deepEqual(ds.warnings, []);
        assert.equal(ds.root.attrs.title, "température °C");
        assert.deepEqual(ds.root.attrs.ints, [1, -2, 3]);
        const a = arrayAt(ds, "a");
        assert.deepEqual([a.shape, a.dims, a.fillValue], [[5, 3], ["time", "x"], -1]);
        assert.deepEqual(arrayAt(ds, "c").dtype, { kind: "bytes", size: 1 });
        assert.deepEqual(arrayAt(ds, "time").attrs, { units: "days since 2000-01-01" });
        for (const shardBytes of [undefined, 24]) {
          await withServer(
            [ds],
            async (base) => {
              for (const v of [2, 3] as const) {
                if (v === 2 && shardBytes) continue;
                assert.deepEqual(
                  await readVar(base, "f", "a", v),
                  Array.from({ length: 15 }, (_, i) => i),
                );
                assert.deepEqual(
                  await readVar(base, "f", "b", v),
                  [0, 10, 20, 30, 40],
                  `${format} b v${v}`,
                );
                assert.deepEqual(await readVar(base, "f", "z", v), [1.5, 2.5, 3.5]);
                const g = Array.from({ length: 60 }, (_, i) => i);
                assert.deepEqual(
                  await readVar(base, "f", "g", v),
                  g,
                  `${format} 3-d records v${v}`,
                );
                if (format === "NETCDF3_64BIT_DATA") {
                  assert.deepEqual(await readVar(base, "f", "u8", v), [
                    0n,
                    2n ** 63n + 5n,
                    2n ** 64n - 1n,
                  ]);
                }
              }
              if (format === "NETCDF3_64BIT_DATA") {
                const text = await (await fetch(`${base}/f/.zattrs`)).text();
                assert.match(text, /"big": 9223372036854775813/);
              }
            },
            undefined,
            { shardBytes },
          );
        }
      }
    });
  },
});

Deno.test({
  name: "netCDF-3 files aggregate along the record dimension; computed variables over them",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const files = [];
      for (let i = 0; i < 3; i++) {
        files.push(await write(`${dir}/m${i}.nc`, "NETCDF3_CLASSIC", 2 + i));
      }
      const agg = await aggregate(files, { name: "agg" });
      const a = arrayAt(agg, "a");
      assert.deepEqual(a.shape, [9, 3]);
      const doubled = withComputed(agg, {
        a2: {
          inputs: ["a"],
          dtype: "float32",
          compute: ([x]) => Float32Array.from(x as Float32Array, (v) => v * 2),
        },
      }, "agg2");
      await withServer([agg, doubled], async (base) => {
        const want = [
          0,
          1,
          2,
          3,
          4,
          5,
          0,
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          8,
          0,
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          8,
          9,
          10,
          11,
        ];
        assert.deepEqual(await readVar(base, "agg", "a", 2), want);
        assert.deepEqual(await readVar(base, "agg2", "a2", 3), want.map((v) => v * 2));
      });
    });
  },
});

/** Big-endian u32 at `at`. */
function setU32(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer).setUint32(at, v);
}

Deno.test({
  name: "malformed netCDF-3: one-line reasons, never past the end, numrecs checked",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const good = await Deno.readFile(await write(`${dir}/good.nc`, "NETCDF3_CLASSIC"));
      const variant = async (name: string, bytes: Uint8Array) => {
        await Deno.writeFile(`${dir}/${name}`, bytes);
        return `${dir}/${name}`;
      };
      // Cut inside the header.
      const cut = await variant("cut2.nc", good.slice(0, 60));
      await assert.rejects(
        () => openFile(cut),
        (e: Error) =>
          !e.message.includes("\n") &&
          /cut2\.nc: the header (runs past the end|claims \d+ \w+, more than the file \(60 bytes\))/
            .test(e.message),
      );
      // A dimension count no file could hold (dim_list nelems at byte 12 in classic files).
      const huge = good.slice();
      setU32(huge, 12, 0x7fffffff);
      await assert.rejects(
        async () => openFile(await variant("huge.nc", huge)),
        /claims 2147483647 dimensions, more than the file/,
      );
      // numrecs larger than the file holds: served as far as the file goes, with a warning.
      const lie = good.slice();
      setU32(lie, 4, 1000);
      const ds = await openFile(await variant("lie.nc", lie));
      assert.equal(arrayAt(ds, "a").shape[0], 5);
      assert.match(ds.warnings.join("\n"), /header says 1000 records, but the file holds 5/);
      // The streaming value: records counted from the file's length.
      const streaming = good.slice();
      setU32(streaming, 4, 0xffffffff);
      assert.equal(arrayAt(await openFile(await variant("stream.nc", streaming)), "b").shape[0], 5);
      // Cut inside the data: the variables whose data is gone are left out, the rest serve.
      const fixed = good.slice(0, good.length - 1);
      const partial = await openFile(await variant("partial.nc", fixed));
      assert.equal(arrayAt(partial, "a").shape[0], 4, "the last, incomplete record is not served");
      await assert.rejects(
        async () =>
          openFile(await variant("hdf4.hdf", new Uint8Array([0x0e, 0x03, 0x13, 0x01, 0, 0, 0, 0]))),
        /hdf4\.hdf: an HDF4 file: not supported/,
      );
      await assert.rejects(
        async () =>
          openFile(await variant("notes.txt", new TextEncoder().encode("just some notes\n"))),
        /notes\.txt: not a netCDF or HDF5 file/,
      );
    });
  },
});

Deno.test({
  name: "zarrflask info prints a netCDF-3 file like ncdump -h",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const path = await write(`${dir}/f.nc`, "NETCDF3_64BIT_OFFSET");
      const cli = new URL("../cli.ts", import.meta.url).pathname;
      const res = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", cli, "info", path],
      })
        .output();
      const out = new TextDecoder().decode(res.stdout);
      assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
      assert.match(out, /time = 5 ;/);
      assert.match(out, /float a\(time, x\) ;\s+\/\/ zarr chunks \(5,3\)/);
      assert.match(out, /:title = "température °C" ;/);
    });
  },
});

Deno.test({
  name: "a char variable's _FillValue is served as its stored byte, not re-encoded text",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const py = `import sys, netCDF4, numpy as np
nc = netCDF4.Dataset(sys.argv[1], "w", format="NETCDF3_CLASSIC"); nc.createDimension("n", 3)
v = nc.createVariable("c", "S1", ("n",), fill_value=b"\\xe9"); v[0] = b"a"; nc.close()`;
      const res = await new Deno.Command(PYTHON, { args: ["-c", py, `${dir}/c.nc`] }).output();
      assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
      const ds = await openFile(`${dir}/c.nc`);
      assert.deepEqual(arrayAt(ds, "c").fillValue, new Uint8Array([0xe9]), "latin-1 é, one byte");
      await withServer([ds], async (base) => {
        const zarray = await (await fetch(`${base}/c/c/.zarray`)).json();
        assert.equal(zarray.fill_value, "6Q==");
      });
    });
  },
});
