/**
 * kerchunk references on request: GET /NAME/refs.json of a file whose chunks all pass through
 * points at the file's own bytes (here on an HTTP server), and fsspec's reference filesystem
 * with xr.open_zarr reads the same values as through zarrflask.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openFile } from "../../src/sources/files.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { remoteServer } from "../remote_server.ts";
import { PYTHON, run } from "./run.ts";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const probe = await run(PYTHON, ["-c", "import netCDF4, xarray, zarr, fsspec, aiohttp"]);
const ignore = probe.code !== 0 && !Deno.env.get("CI");
if (ignore) console.log("refs test skipped: install the Debian Python stack");

Deno.test({
  name: "refs.json: kerchunk references read by fsspec equal the store",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      const w = await run(PYTHON, [here("./refs_check.py"), "write", `${dir}/r.nc`]);
      assert.equal(w.code, 0, w.out);
      const w2 = await run(PYTHON, [
        here("./refs_check.py"),
        "write",
        `${dir}/contig.nc`,
        "contiguous",
      ]);
      assert.equal(w2.code, 0, w2.out);
      const server = await remoteServer(dir);
      try {
        const remote = await openFile(`${server.base}/r.nc`, { name: "r" });
        const local = await openFile(`${dir}/r.nc`, { name: "local" });
        const contiguous = await openFile(`${dir}/contig.nc`, { name: "contig" });
        await withServer([remote, local, contiguous], async (base) => {
          const ua = { headers: { "user-agent": "Python/3.11 aiohttp/3.8.4" } };
          const doc = await (await fetch(`${base}/r/refs.json`, ua)).json();
          assert.equal(doc.version, 1);
          const ref = doc.refs["t2m/0.0.0"];
          assert.equal(ref[0], `${server.base}/r.nc`);
          assert.ok(Number.isInteger(ref[1]) && ref[2] > 0);
          assert.equal(JSON.parse(doc.refs["t2m/.zarray"]).compressor.id, "zlib");
          // The stored bytes at that reference are the chunk zarrflask serves.
          const direct = await fetch(`${server.base}/r.nc`, {
            headers: { range: `bytes=${ref[1]}-${ref[1] + ref[2] - 1}` },
          });
          const served = await fetch(`${base}/r/t2m/0.0.0`, ua);
          assert.deepEqual(
            new Uint8Array(await direct.arrayBuffer()),
            new Uint8Array(await served.arrayBuffer()),
          );
          const res = await run(PYTHON, [
            here("./refs_check.py"),
            "compare",
            `${base}/r/refs.json`,
            `${base}/r`,
          ]);
          assert.equal(res.code, 0, res.out);
          assert.match(res.stdout, /refs ok/);
          // A local file's references are its absolute path.
          const localRefs = await (await fetch(`${base}/local/refs.json`, ua)).json();
          assert.equal(localRefs.refs["t2m/0.0.0"][0], `${dir}/r.nc`);
          // Not every chunk passes through: 404 naming the variable.
          const none = await fetch(`${base}/contig/refs.json`, ua);
          assert.equal(none.status, 404);
          assert.match(
            await none.text(),
            /"c" is not served as its stored bytes, and is too large/,
          );
        });
      } finally {
        await server.close();
      }
    });
  },
});
