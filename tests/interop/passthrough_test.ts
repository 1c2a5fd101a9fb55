/**
 * Zero-decode pass-through against HDF5's own chunk index: for files written
 * by h5py with every chunk index (libver earliest and latest), our reader
 * finds the byte range h5py reports for every chunk, and zarr-python of both generations (2.13
 * on Debian 12, 3.x today) reads the served stores exactly as h5py reads the files, in every
 * pass-through mode. A missing generation fails under CI and is skipped with a message elsewhere.
 */
import assert from "node:assert/strict";
import { openHdf5 } from "../../src/sources/hdf5/hdf5_dataset.ts";
import type { ArrayNode } from "../../src/model/types.ts";
import { unravel } from "../../src/model/grid.ts";
import { withServer, withTempDir } from "../helpers.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { generationsFor, PYTHON, run } from "./run.ts";

const here = pathFrom(import.meta.url);

// The fixtures and HDF5's own answer come from Debian 12's h5py; the stores are read by both.
const ignore = await needs(
  "pass-through interop tests",
  pythonHas("h5py, zarr, fsspec, aiohttp"),
  "python3-h5py python3-zarr",
);
const generations = await generationsFor("pass-through reads", "h5py, zarr, fsspec, aiohttp");

/** Per chunk: filter mask, SHA-1 of the stored bytes, their length (from h5py). */
type Table = Record<string, Record<string, [number, string, number]>>;

async function sha1(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test({
  name: "the chunk index reader finds the bytes HDF5 reads for every chunk",
  ignore,
  fn: async () => {
    await withTempDir(async (dir) => {
      const made = await run(PYTHON, [here("./make_layouts.py"), dir]);
      assert.equal(made.code, 0, made.out);
      const truth = JSON.parse(await Deno.readTextFile(`${dir}/layouts.json`));
      for (const libver of ["earliest", "latest"]) {
        const path = `${dir}/layouts_${libver}.h5`;
        const ds = await openHdf5(path);
        const table = truth[libver] as Table;
        let checked = 0;
        for (const [name, chunks] of Object.entries(table)) {
          const array = ds.root.children.get(name) as ArrayNode | undefined;
          assert.ok(array, `${libver}/${name} is served`);
          if (name === "fletcher" || name === "be") {
            assert.equal(array.stored, undefined, `${name} has no Zarr-equivalent stored form`);
            continue;
          }
          assert.ok(array.stored, `${libver}/${name} offers its stored chunks`);
          const grid = array.shape.map((n, d) => Math.ceil(n / array.chunks[d]));
          const total = grid.reduce((a, b) => a * b, 1);
          for (let i = 0; i < total; i++) {
            const coords = unravel(i, grid);
            const got: Uint8Array | null = await array.stored.read(coords);
            const want = chunks[coords.join(".")];
            const label = `${libver}/${name} chunk ${coords}`;
            if (!want || want[0] !== 0) {
              assert.equal(got, null, `${label}: unwritten or masked chunks are decoded instead`);
            } else {
              assert.ok(got, `${label}: found`);
              assert.equal(got.length, want[2], `${label}: size`);
              assert.equal(await sha1(got), want[1], `${label}: bytes`);
            }
            checked++;
          }
        }
        assert.ok(checked > 1000, `checked ${checked} chunks`);
      }
    });
  },
});

for (const { gen, ignore: missing } of generations) {
  for (const passthrough of ["all", "auto", "off"] as const) {
    Deno.test({
      name: `${gen.name}: zarr-python reads every layout as h5py does (passthrough ${passthrough})`,
      ignore: ignore || missing,
      fn: async () => {
        await withTempDir(async (dir) => {
          const made = await run(PYTHON, [here("./make_layouts.py"), dir]);
          assert.equal(made.code, 0, made.out);
          const datasets = await Promise.all(
            ["earliest", "latest"].map((v) => openHdf5(`${dir}/layouts_${v}.h5`)),
          );
          await withServer(
            datasets,
            async (base) => {
              const res = await gen.python([here("./check_layouts.py"), base, dir]);
              assert.equal(res.code, 0, res.out);
              assert.match(res.out, /all layouts read back/);
              assert.doesNotMatch(res.out, /Warning/, res.out);
              // Passed through: the file's own shuffle and deflate reach the client as they are.
              if (passthrough === "all") {
                assert.match(res.out, /ok {3}latest\/ext \['shuffle', 'zlib'\]\n/, res.out);
              }
            },
            undefined,
            { passthrough },
          );
        });
      },
    });
  }
}
