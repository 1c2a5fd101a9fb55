/**
 * kerchunk references on request: GET /NAME/refs.json of a file whose chunks all pass through
 * points at the file's own bytes (here on an HTTP server and on disk). fsspec's reference
 * filesystem with xarray of both generations (zarr-python 3 told zarr_format=2) reads what
 * xr.open_dataset reads from the file, and kerchunk's SingleHdf5ToZarr gives the same offset and
 * length for every chunk key.
 */
import assert from "node:assert/strict";
import { openFile } from "../../src/sources/files.ts";
import type { Dataset } from "../../src/model/types.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { remoteServer } from "../remote_server.ts";
import { needs, pathFrom, pythonHas, skipUnlessCI } from "../setup.ts";
import { generationsFor, missingIn, MODERN_CLIENTS_SETUP, PYTHON, run, TODAY } from "./run.ts";

const here = pathFrom(import.meta.url);
const ignore = await needs(
  "refs test",
  pythonHas("netCDF4, h5py, xarray, zarr, fsspec, aiohttp"),
  "the Debian Python stack",
);
const generations = await generationsFor(
  "refs.json through fsspec",
  "netCDF4, h5py, xarray, zarr, fsspec, aiohttp",
);
const noKerchunk = await missingIn(TODAY, "kerchunk.hdf, numcodecs, fsspec, aiohttp");
const ignoreKerchunk = skipUnlessCI(
  noKerchunk !== null,
  `kerchunk comparison skipped: ${noKerchunk}; install with ${MODERN_CLIENTS_SETUP}`,
);

/** The published files: name -> file, written by Debian 12's netCDF-C and h5py. */
const FILES = {
  r: "r.nc", // chunked netCDF-4: zlib+shuffle 3-D, chunked coordinates, unlimited time
  small: "small.nc", // contiguous coordinates and a contiguous 2-D variable: inline
  h: "h.h5", // h5py: gzip+shuffle 2-D, unwritten chunks (HDF5 fill -7), big-endian in a group
  contig: "contig.nc", // a 2.4 MB contiguous variable: no references (404)
};

/** Writes FILES into `dir` and serves them (and r.nc again from an HTTP range server). */
async function withRefsServer(
  fn: (base: string, dir: string, remote: string) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const script = here("./refs_check.py");
    for (
      const args of [
        ["write", `${dir}/r.nc`],
        ["write", `${dir}/small.nc`, "small"],
        ["write", `${dir}/contig.nc`, "contiguous"],
        ["write-h5", `${dir}/h.h5`],
      ]
    ) {
      const w = await run(PYTHON, [script, ...args]);
      assert.equal(w.code, 0, w.out);
    }
    const server = await remoteServer(dir);
    try {
      const datasets: Dataset[] = [await openFile(`${server.base}/r.nc`, { name: "remote" })];
      for (const [name, file] of Object.entries(FILES)) {
        datasets.push(await openFile(`${dir}/${file}`, { name }));
      }
      await withServer(datasets, (base) => fn(base, dir, server.base));
    } finally {
      await server.close();
    }
  });
}

const ua = { headers: { "user-agent": "Python/3.11 aiohttp/3.8.4" } };

Deno.test({
  name: "refs.json: references to the file's bytes, unwritten chunks inline, 404 naming what not",
  ignore,
  async fn() {
    await withRefsServer(async (base, dir, remote) => {
      const doc = await (await fetch(`${base}/remote/refs.json`, ua)).json();
      assert.equal(doc.version, 1);
      const ref = doc.refs["t2m/0.0.0"];
      assert.equal(ref[0], `${remote}/r.nc`);
      assert.ok(Number.isInteger(ref[1]) && ref[2] > 0);
      assert.equal(JSON.parse(doc.refs["t2m/.zarray"]).compressor.id, "zlib");
      // The stored bytes at that reference are the chunk zarrflask serves.
      const direct = await fetch(`${remote}/r.nc`, {
        headers: { range: `bytes=${ref[1]}-${ref[1] + ref[2] - 1}` },
      });
      const served = await fetch(`${base}/remote/t2m/0.0.0`, ua);
      assert.deepEqual(
        new Uint8Array(await direct.arrayBuffer()),
        new Uint8Array(await served.arrayBuffer()),
      );
      // A local file's references are its absolute path.
      const localRefs = await (await fetch(`${base}/r/refs.json`, ua)).json();
      assert.equal(localRefs.refs["t2m/0.0.0"][0], `${dir}/r.nc`);
      // An unwritten chunk is the fill chunk zarrflask serves, inline: .zarray declares no fill
      // value for HDF5's own, and Debian 12's fsspec fails on a missing key.
      const h = await (await fetch(`${base}/h/refs.json`, ua)).json();
      const fill = await fetch(`${base}/h/sparse/1.0`, ua);
      assert.equal(
        h.refs["sparse/1.0"],
        `base64:${btoa(String.fromCharCode(...new Uint8Array(await fill.arrayBuffer())))}`,
      );
      assert.ok(Array.isArray(h.refs["sparse/0.0"]));
      // Not every chunk passes through: 404 naming the variable.
      const none = await fetch(`${base}/contig/refs.json`, ua);
      assert.equal(none.status, 404);
      assert.match(
        await none.text(),
        /"c" is not served as its stored bytes, and is too large/,
      );
    });
  },
});

for (const { gen, ignore: missing } of generations) {
  Deno.test({
    name: `${gen.name}: refs.json through fsspec's reference filesystem equals ` +
      "xr.open_dataset(file) and the store",
    ignore: ignore || missing,
    async fn() {
      await withRefsServer(async (base, dir) => {
        const args = [["r.nc", "remote"], ...Object.entries(FILES).map(([n, f]) => [f, n])]
          .filter(([, name]) => name !== "contig")
          .flatMap(([file, name]) => [`${dir}/${file}`, `${base}/${name}/refs.json`]);
        const res = await gen.python([here("./refs_check.py"), "compare", ...args]);
        console.log(res.out.trim());
        assert.equal(res.code, 0, res.out);
        assert.equal(res.stdout.match(/^refs ok/gm)?.length, 4, res.out);
      });
    },
  });
}

/** What refs_kerchunk.py measured for one file. */
interface Tally {
  equal: number;
  unequal: unknown[];
}

Deno.test({
  name: "today: kerchunk's SingleHdf5ToZarr gives every chunk key the same offset and length",
  ignore: ignore || ignoreKerchunk,
  async fn() {
    await withRefsServer(async (base, dir) => {
      for (const [name, file] of Object.entries(FILES)) {
        const res = await TODAY.python([
          here("./refs_kerchunk.py"),
          `${dir}/${file}`,
          `${base}/${name}/refs.json`,
        ]);
        console.log(`${name}: ${res.out.trim()}`);
        assert.equal(res.code, 0, res.out);
        const report = JSON.parse(res.stdout.split("\n")[0]);
        if (name === "contig") {
          // kerchunk references the contiguous variable as one 2.4 MB chunk; zarrflask serves
          // it in its own chunks (zstd), which are no bytes of the file, so it answers 404.
          assert.equal(report.ours, 404);
          assert.deepEqual(report.kerchunk_largest[0], "c/0");
          continue;
        }
        const ranges: Tally = report.ranges;
        assert.ok(ranges.equal > 0, res.out);
        for (const kind of ["ranges", "ours_inline", "kerchunk_inline"]) {
          assert.deepEqual((report[kind] as Tally).unequal, [], `${name}: ${kind}`);
        }
        assert.deepEqual(report.only_kerchunk, []);
        assert.deepEqual(report.only_ours, []);
        assert.equal(report.urls_differ, 0);
        // sparse: 6 of 12 chunks unwritten, one of them at the edge
        if (name === "h") assert.equal(report.only_ours_fill, 6);
        if (name === "small") assert.equal(report.ours_inline.equal, 3); // lat, lon, s
      }
    });
  },
});
