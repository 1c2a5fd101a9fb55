/**
 * Live data: files rewritten in place, appended to, replaced by rename,
 * deleted and recreated (netCDF4-python and h5py as writers), half-written
 * files, a reader racing a writer, directories that grow, aggregations that
 * grow. Values are checked with zarrita and xarray.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { live, liveFile } from "../src/sources/live.ts";
import { liveDirectory } from "../src/sources/directory.ts";
import { loadConfig } from "../src/app/config.ts";
import { fileVersion } from "../src/sources/bytes/version.ts";
import { locationVersion, openFile } from "../src/sources/files.ts";
import { rangeServer } from "./range_server.ts";
import { withServer, withTempDir } from "./helpers.ts";
import { needs, pathFrom, PYTHON, pythonHas } from "./setup.ts";

// Writes PATH with v(time, x=4) = VALUE in FORMAT with N records; "append" adds records.
const WRITER = `
import sys, os, numpy as np
path, n, value, fmt = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
if fmt == "h5py" or fmt == "h5py-append":
    import h5py
    if fmt == "h5py":
        with h5py.File(path, "w") as f:
            f.create_dataset("v", data=np.full((n, 4), value, "f4"), maxshape=(None, 4), chunks=(2, 4))
    else:
        with h5py.File(path, "a") as f:
            d = f["v"]; old = d.shape[0]; d.resize((old + n, 4)); d[old:] = value
else:
    import netCDF4
    if fmt.endswith("-append"):
        nc = netCDF4.Dataset(path, "a"); v = nc["v"]; old = v.shape[0]
        v[old:old + n] = np.full((n, 4), value, "f4"); nc.close()
    else:
        nc = netCDF4.Dataset(path, "w", format=fmt)
        nc.createDimension("time", None); nc.createDimension("x", 4)
        v = nc.createVariable("v", "f4", ("time", "x")); v[:] = np.full((n, 4), value, "f4")
        nc.close()
`;

const ignore = await needs(
  "live tests",
  pythonHas("netCDF4, h5py"),
  "python3-netcdf4 python3-h5py (Debian)",
);

async function write(path: string, n: number, value: number, format = "NETCDF4"): Promise<void> {
  const res = await new Deno.Command(PYTHON, {
    args: ["-c", WRITER, path, String(n), String(value), format],
  })
    .output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
}

async function values(base: string, store: string): Promise<number[]> {
  const loc = zarr.root(new zarr.FetchStore(`${base}/${store}`)).resolve("v");
  return Array.from(
    (await zarr.get(await zarr.open.v2(loc, { kind: "array" }))).data as Float32Array,
  );
}

const INTERVAL = 50;
/** Elements per chunk of v(time, x=4): netCDF-C chunks an unlimited variable one record long. */
const ROW_CHUNK = 4;
const settle = () => new Promise((r) => setTimeout(r, INTERVAL + 20));

Deno.test({
  name:
    "a file rewritten, appended to, replaced, deleted and recreated is seen on the next request",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      for (const format of ["NETCDF4", "NETCDF3_64BIT_OFFSET", "h5py"]) {
        const path = `${dir}/a.nc`;
        await write(path, 3, 1, format);
        const ds = liveFile(path, "a", { intervalMs: INTERVAL });
        await withServer([ds], async (base) => {
          assert.deepEqual(await values(base, "a"), new Array(12).fill(1), format);
          const first = await fetch(`${base}/a/v/0.0`);
          await first.body?.cancel();
          assert.equal(first.headers.get("cache-control"), "no-cache");
          const meta = await fetch(`${base}/a/.zmetadata`);
          await meta.body?.cancel();
          assert.equal(meta.headers.get("cache-control"), "no-cache");

          await write(path, 3, 2, format); // in place
          await settle();
          assert.deepEqual(await values(base, "a"), new Array(12).fill(2), `${format} rewritten`);
          const again = await fetch(`${base}/a/v/0.0`, {
            headers: { "if-none-match": first.headers.get("etag")! },
          });
          await again.body?.cancel();
          assert.equal(again.status, 200, "the old ETag no longer matches");
          assert.notEqual(again.headers.get("etag"), first.headers.get("etag"));

          await write(path, 2, 3, format.startsWith("h5py") ? "h5py-append" : `${format}-append`);
          await settle();
          assert.deepEqual(await values(base, "a"), [
            ...new Array(12).fill(2),
            ...new Array(8).fill(3),
          ], `${format} grown`);

          await write(`${dir}/b.nc`, 6, 4, format);
          await Deno.rename(`${dir}/b.nc`, path);
          await settle();
          assert.deepEqual(await values(base, "a"), new Array(24).fill(4), `${format} replaced`);

          await Deno.remove(path);
          await settle();
          const gone = await fetch(`${base}/a/.zmetadata`);
          assert.equal(gone.status, 404);
          assert.match(await gone.text(), /is gone/);
          const listed =
            await (await fetch(`${base}/`, { headers: { accept: "application/json" } })).json();
          assert.deepEqual(listed.datasets, [], "a deleted file drops out of /");

          await write(path, 1, 5, format);
          await settle();
          assert.deepEqual(await values(base, "a"), [5, 5, 5, 5], `${format} recreated`);
        });
        await Deno.remove(path);
      }
    });
  },
});

Deno.test({
  name: "a half-written file answers 503 with Retry-After until it is whole",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const path = `${dir}/h.nc`;
      await write(`${dir}/full.nc`, 50, 7);
      const whole = await Deno.readFile(`${dir}/full.nc`);
      await Deno.writeFile(path, whole);
      const ds = liveFile(path, "h", { intervalMs: INTERVAL });
      await withServer([ds], async (base) => {
        assert.equal((await values(base, "h")).length, 200);
        await Deno.writeFile(path, whole.slice(0, Math.floor(whole.length / 2)));
        await settle();
        const res = await fetch(`${base}/h/.zmetadata`);
        assert.equal(res.status, 503);
        assert.equal(res.headers.get("retry-after"), "1");
        assert.match(await res.text(), /truncated/);
        await Deno.writeFile(path, whole);
        await settle();
        assert.deepEqual(await values(base, "h"), new Array(200).fill(7));
      });
    });
  },
});

Deno.test({
  name: "a reader racing a writer never gets wrong data, nor a 5xx other than 503",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const path = `${dir}/r.nc`;
      await write(path, 4, 0);
      const ds = liveFile(path, "r", { intervalMs: INTERVAL });
      // The writer rewrites in place and replaces by rename, alternately, 50 times a second.
      const writer = `
import sys, os, time, numpy as np, netCDF4
path, until = sys.argv[1], time.time() + float(sys.argv[2])
k = 1
while time.time() < until:
    target = path if k % 2 else path + ".tmp"
    nc = netCDF4.Dataset(target, "w"); nc.createDimension("time", None); nc.createDimension("x", 4)
    nc.createVariable("v", "f4", ("time", "x"))[:] = np.full((4, 4), k, "f4"); nc.close()
    if target != path: os.rename(target, path)
    k += 1
    time.sleep(0.02)
print(k)
`;
      await withServer([ds], async (base) => {
        const meta = await (await fetch(`${base}/r/v/.zarray`)).json();
        assert.deepEqual(meta.chunks, [1, ROW_CHUNK], "netCDF-C's chunks of v(time, x)");
        const child = new Deno.Command(PYTHON, { args: ["-c", writer, path, "4"], stdout: "piped" })
          .spawn();
        const statuses = new Map<number, number>();
        let reads = 0, last = 0;
        const until = performance.now() + 4000;
        while (performance.now() < until) {
          try {
            const got = await values(base, "r");
            reads++;
            // Each chunk is one version; chunks fetched one after another may straddle a change.
            for (let row = 0; row < got.length; row += ROW_CHUNK) {
              const chunk = got.slice(row, row + ROW_CHUNK);
              assert.ok(chunk.every((v) => v === chunk[0]), `one version per chunk: ${got}`);
            }
            last = got.at(-1)!;
          } catch (e) {
            const m = /status (\d+)|(\d{3})/.exec(String(e));
            const status = m ? Number(m[1] ?? m[2]) : -1;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 503 && status !== 404) throw e;
          }
        }
        const written = Number(new TextDecoder().decode((await child.output()).stdout));
        console.log(
          `${reads} reads, ${written} versions written, last read ${last}, errors ${[...statuses]}`,
        );
        assert.ok(reads > 20 && written > 20 && last > 1, "the reader keeps up with new versions");
      });
    });
  },
});

Deno.test({
  name: "a served directory follows added and removed files; names keep their folders",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      await Deno.mkdir(`${dir}/2024`);
      await write(`${dir}/2024/era5_01.nc`, 2, 1);
      await write(`${dir}/top.nc`, 1, 2, "NETCDF3_CLASSIC");
      await Deno.writeTextFile(`${dir}/readme.txt`, "not data");
      const collection = liveDirectory(dir, { intervalMs: INTERVAL, maxOpen: 1 });
      await withServer([collection], async (base) => {
        const names = async () =>
          (await (await fetch(`${base}/`, { headers: { accept: "application/json" } })).json())
            .datasets.map((d: { name: string }) => d.name);
        assert.deepEqual(await names(), ["2024/era5_01", "top"]);
        assert.deepEqual(await values(base, "2024/era5_01"), new Array(8).fill(1));
        assert.deepEqual(
          await values(base, "top"),
          [2, 2, 2, 2],
          "the LRU closes one, the other opens",
        );
        assert.deepEqual(await values(base, "2024/era5_01"), new Array(8).fill(1), "reopened");
        await write(`${dir}/2024/era5_02.nc`, 1, 3, "h5py");
        await Deno.remove(`${dir}/top.nc`);
        await settle();
        assert.deepEqual(await names(), ["2024/era5_01", "2024/era5_02"]);
        assert.equal((await fetch(`${base}/top/.zmetadata`)).status, 404);
        assert.deepEqual(await values(base, "2024/era5_02"), [3, 3, 3, 3]);
      });
    });
  },
});

Deno.test({
  name: "a config glob aggregation grows with its folder; ETags follow",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      await write(`${dir}/m1.nc`, 2, 1);
      await write(`${dir}/m2.nc`, 3, 2);
      await Deno.writeTextFile(
        `${dir}/c.json`,
        JSON.stringify({ datasets: { agg: { files: "m*.nc", concat: "time" } } }),
      );
      const [pub] = await loadConfig(`${dir}/c.json`);
      await withServer([pub], async (base) => {
        assert.deepEqual(await values(base, "agg"), [
          ...new Array(8).fill(1),
          ...new Array(12).fill(2),
        ]);
        const before = (await fetch(`${base}/agg/v/.zarray`)).headers.get("etag");
        await write(`${dir}/m3.nc`, 1, 3);
        await new Promise((r) => setTimeout(r, 1100)); // the default interval
        const zarray = await fetch(`${base}/agg/v/.zarray`);
        assert.notEqual(zarray.headers.get("etag"), before);
        assert.deepEqual((await zarray.json()).shape, [6, 4]);
        assert.deepEqual((await values(base, "agg")).slice(20), [3, 3, 3, 3]);
      });
    });
  },
});

Deno.test({
  name: "xarray sees a rewritten file's new values",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const path = `${dir}/x.nc`;
      await write(path, 2, 1);
      const ds = live({
        name: "x",
        source: path,
        version: () => fileVersion(path),
        open: () => openFile(path, { name: "x" }),
        intervalMs: INTERVAL,
      });
      await withServer([ds], async (base) => {
        const read = async () => {
          const res = await new Deno.Command(PYTHON, {
            args: [
              "-c",
              "import sys, xarray as xr; print(float(xr.open_zarr(sys.argv[1]).v.sum()))",
              `${base}/x`,
            ],
          }).output();
          assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
          return Number(new TextDecoder().decode(res.stdout));
        };
        assert.equal(await read(), 8);
        await write(path, 3, 2);
        await settle();
        assert.equal(await read(), 24);
      });
    });
  },
});

/** Every value of `v`, through zarrita (which fails on any answer but 200 and 404). */
async function chunkValues(base: string, store: string): Promise<number[]> {
  const loc = zarr.root(new zarr.FetchStore(`${base}/${store}`)).resolve("v");
  const arr = await zarr.open.v2(loc, { kind: "array" });
  return Array.from((await zarr.get(arr)).data as Float32Array);
}

Deno.test({
  name: "a file rewritten in place between checks: the read notices, the request starts again",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const path = `${dir}/p.nc`;
      await write(path, 4, 1);
      const inode = (await Deno.stat(path)).ino;
      // No check in the test's time: only a read can find the change.
      const ds = liveFile(path, "p", { intervalMs: 600_000 });
      await withServer([ds], async (base) => {
        assert.deepEqual(await chunkValues(base, "p"), new Array(16).fill(1));
        await write(path, 4, 2);
        assert.equal((await Deno.stat(path)).ino, inode, "the writer rewrote the same inode");
        // 200 with the new values: the chunk read found the file changed, and its request
        // was answered from the new version.
        const res = await fetch(`${base}/p/v/0.0`);
        assert.equal(res.status, 200, await res.clone().text());
        await res.body?.cancel();
        assert.deepEqual(await chunkValues(base, "p"), new Array(16).fill(2));
      });
    });
  },
});

Deno.test({
  name: "a remote file re-uploaded between checks: the request reopens and retries, no 503",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const writer = pathFrom(import.meta.url)("./interop/write_nc3_pair.py");
      const put = async (value: number) => {
        const res = await new Deno.Command(PYTHON, { args: [writer, `${dir}/r.nc`, String(value)] })
          .output();
        assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
      };
      await put(1);
      const server = await rangeServer(dir);
      const url = `${server.base}/r.nc`;
      try {
        const ds = live({
          name: "r",
          source: url,
          version: () => locationVersion(url),
          open: () => openFile(url, { name: "r" }),
          intervalMs: 600_000,
        });
        await withServer([ds], async (base) => {
          // Opened (metadata only: a chunk read once would be served from the chunk cache,
          // whole, until the next check)
          const meta = await fetch(`${base}/r/v/.zarray`);
          assert.equal(meta.status, 200);
          await meta.body?.cancel();
          await put(2); // a new ETag: the pinned reads get 412
          const res = await fetch(`${base}/r/v/0`);
          assert.equal(res.status, 200, await res.clone().text());
          await res.body?.cancel();
          assert.deepEqual(await chunkValues(base, "r"), new Array(16).fill(2));
        });
      } finally {
        await server.close();
      }
    });
  },
});
