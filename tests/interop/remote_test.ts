/**
 * netCDF-3 files on an HTTP server that answers Range requests (a small one started here):
 * opened in a few requests, read back through xarray of both generations (Debian 12's and
 * today's) exactly as xr.open_dataset reads the local copy, retried through injected faults or
 * answered 502/504 in one line, and followed when re-uploaded.
 */
import assert from "node:assert/strict";
import { openFile } from "../../src/sources/files.ts";
import { loadConfig } from "../../src/app/config.ts";
import { httpSource } from "../../src/sources/bytes/http.ts";
import type { Dataset } from "../../src/model/types.ts";
import { UnavailableError } from "../../src/model/types.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { rangeServer } from "../range_server.ts";
import { checkFaults } from "./fault_checks.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { failedUnder, PYTHON, readersFor, run } from "./run.ts";

const here = pathFrom(import.meta.url);
const ignore = await needs(
  "remote netCDF-3 tests",
  pythonHas("netCDF4, scipy, xarray, zarr, fsspec, aiohttp"),
  "the Debian Python stack",
);
/** The client generations that read the served files (both under CI). */
const readers = await readersFor("remote netCDF-3 checks", "xarray, zarr, fsspec, aiohttp");

Deno.test({
  name: "netCDF-3 over HTTP: few requests to open, values exact through xarray",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      const made = await run(PYTHON, [here("./make_nc3.py"), dir]);
      assert.equal(made.code, 0, made.out);
      const server = await rangeServer(dir);
      try {
        const datasets: Dataset[] = [];
        const opens: string[] = [];
        for (const file of [...Deno.readDirSync(dir)].map((e) => e.name).sort()) {
          if (file.endsWith(".json")) continue;
          server.requests.clear();
          server.bytes.sent = 0;
          const size = (await Deno.stat(`${dir}/${file}`)).size;
          const opened = await openFile(`${server.base}/${file}`).then((d) => d, (e: Error) => e);
          const requests = server.requests.get(`/${file}`) ?? 0;
          if (opened instanceof Error) {
            assert.ok(!opened.message.includes("\n"), opened.message);
            assert.ok(opened.message.startsWith(`${server.base}/${file}: `), opened.message);
            continue;
          }
          opens.push(`${file}: ${requests} requests, ${server.bytes.sent} of ${size} bytes`);
          // A 1-byte stat, then one block holding the signature and the header.
          assert.equal(requests, 2, `${file}: ${requests} requests to open`);
          assert.ok(server.bytes.sent <= Math.min(size, 1 << 20) + 1, `${file} bytes`);
          datasets.push(opened);
        }
        console.log(opens.join("\n"));
        assert.ok(datasets.length >= 8, `${datasets.length} files served`);
        await withServer(datasets, async (base) => {
          const failed = await failedUnder(
            readers,
            here("./check_nc3.py"),
            [base, dir],
            /all nc3 checks passed/,
          );
          assert.deepEqual(failed, [], "netCDF-3 checks over HTTP failed (see output above)");
        });
      } finally {
        await server.close();
      }
    });
  },
});

Deno.test({
  name: "netCDF-3 over HTTP: faults retried or answered 502/504; a re-upload is a new version",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      const writer = here("./write_nc3_pair.py");
      const w = await run(PYTHON, [writer, `${dir}/f.nc`, "1"]);
      assert.equal(w.code, 0, w.out);
      const server = await rangeServer(dir);
      const url = `${server.base}/f.nc`;
      try {
        await checkFaults(
          url,
          (f) => void Object.assign(server.faults, f),
          async () => assert.equal((await run(PYTHON, [writer, `${dir}/f.nc`, "2"])).code, 0),
          async (base) => {
            // Through xarray of each generation, the new values.
            const py = `import sys, xarray as xr
print(float(xr.open_zarr(sys.argv[1])["v"].max()))`;
            for (const gen of readers) {
              const x = await gen.python(["-c", py, `${base}/f`]);
              assert.equal(x.stdout.trim(), "2.0", `${gen.name}: ${x.out}`);
            }
            const metrics = await (await fetch(`${base}/metrics`)).text();
            assert.match(metrics, /zarrflask_remote_retries_total [1-9]/);
            assert.match(metrics, /zarrflask_remote_requests_total [1-9]/);
          },
        );
        // An opened version is pinned: its reads fail (503) once the file changed.
        const source = httpSource(url);
        const stat = (await source.stat())!;
        const reader = await source.reader(stat.version);
        await reader.read(0, 4);
        await new Promise((r) => setTimeout(r, 20));
        assert.equal((await run(PYTHON, [writer, `${dir}/f.nc`, "3"])).code, 0);
        await assert.rejects(
          () => reader.read(0, 4),
          (e) => e instanceof UnavailableError && e.status === 503 && /changed/.test(e.message),
        );
        // Slow answers: 504 after the timeout and retries.
        server.faults.delayMs = 300;
        const slow = httpSource(url, { timeoutMs: 50, retries: 1 });
        await assert.rejects(
          () => slow.stat(),
          (e) =>
            e instanceof UnavailableError && e.status === 504 &&
            /no answer in 50 ms/.test(e.message),
        );
        server.faults.delayMs = 0;
        // A server without Range support is named at once.
        server.faults.noRanges = true;
        await assert.rejects(() => openFile(url), /does not answer Range requests/);
        server.faults.noRanges = false;
        // A server that wants a bearer token: a config dataset's "headers" send it.
        server.faults.token = "h-s3cret";
        await Deno.writeTextFile(
          `${dir}/datasets.json`,
          JSON.stringify({
            datasets: {
              guarded: { files: url, headers: { Authorization: "Bearer h-s3cret" } },
              bare: { files: url },
            },
          }),
        );
        const refused = await loadConfig(`${dir}/datasets.json`).then(() => "", (e) => e.message);
        assert.match(refused, /dataset "bare".*401.*check the credentials/);
        assert.ok(!refused.includes("h-s3cret"));
        await Deno.writeTextFile(
          `${dir}/datasets.json`,
          JSON.stringify({
            datasets: { guarded: { files: url, headers: { Authorization: "Bearer h-s3cret" } } },
          }),
        );
        const [pub] = await loadConfig(`${dir}/datasets.json`);
        assert.ok(!pub.dataset.source.includes("h-s3cret"));
        await withServer([pub], async (base) => {
          const r = await fetch(`${base}/guarded/v/0`, { headers: { "user-agent": "test" } });
          assert.equal(r.status, 200);
          await r.body?.cancel();
        });
        server.faults.token = undefined;
        await assert.rejects(() => openFile(`${server.base}/none.nc`), /no such file \(404\)/);
      } finally {
        await server.close();
      }
    });
  },
});
