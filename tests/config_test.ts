/** Config files: the minimal JSON form, globs and lists, TypeScript modules, clear errors. */
import assert from "node:assert/strict";
import { loadConfig, parseSize, type Publication } from "../src/app/config.ts";
import { expandGlob } from "../src/app/globs.ts";
import { progress } from "../src/app/progress.ts";
import type { ArrayNode, Dataset, GroupNode } from "../src/model/types.ts";
import { writeMonthlyFiles, writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;

/** The root group of a publication's dataset as it is now. */
async function root(p: Publication): Promise<GroupNode> {
  const d = p.dataset;
  if (!("acquire" in d)) return d.root;
  const lease = await d.acquire();
  lease.release();
  return lease.dataset.root;
}

Deno.test("the minimal JSON config serves an aggregation at /clim/", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/data`);
    await writeMonthlyFiles(`${dir}/data`, 3);
    await Deno.writeTextFile(
      `${dir}/datasets.json`,
      `{"datasets": {"clim": {"files": "data/clim_*.nc", "concat": "time"}}}`,
    );
    const pubs = await loadConfig(`${dir}/datasets.json`);
    assert.equal(pubs.length, 1);
    await withServer(pubs.map((p) => p.dataset), async (base) => {
      const z = await (await fetch(`${base}/clim/temp/.zarray`)).json();
      assert.deepEqual(z.shape, [31 + 28 + 31, 3]);
    });
  });
});

Deno.test("JSON config: single paths, lists, codec and chunk overrides", async () => {
  await withTempDir(async (dir) => {
    const files = await writeMonthlyFiles(dir, 2);
    await writeNetcdfLike(`${dir}/one.nc`);
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({
        datasets: {
          single: { files: "one.nc", codec: "zlib:3", chunks: { time: 5 } },
          listed: { files: files.map((f) => f.split("/").pop()), shard: "1MB" },
        },
      }),
    );
    const pubs = await loadConfig(`${dir}/c.json`);
    const [single, listed] = pubs;
    assert.equal(single.codec, "zlib:3");
    assert.deepEqual(((await root(single)).children.get("temp") as ArrayNode).chunks, [5, 3, 4]);
    assert.deepEqual(((await root(listed)).children.get("temp") as ArrayNode).shape, [59, 3]);
    assert.equal(listed.shardBytes, 1_000_000);
    await withServer(pubs, async (base) => {
      const z = await (await fetch(`${base}/single/temp/.zarray`)).json();
      assert.deepEqual(z.compressor, { id: "zlib", level: 3 });
    });
  });
});

Deno.test("config errors name the dataset and the field", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/one.nc`);
    const bad = async (spec: unknown, pattern: RegExp) => {
      await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(spec));
      await assert.rejects(() => loadConfig(`${dir}/bad.json`), pattern);
    };
    await bad(
      { datasets: { a: { files: "nope_*.nc" } } },
      /dataset "a": field "files": "nope_\*\.nc" matched no files/,
    );
    await bad(
      { datasets: { b: { files: "one.nc", codec: "lzma" } } },
      /dataset "b": field "codec": unknown codec "lzma"/,
    );
    await bad(
      { datasets: { c: { files: "one.nc", colour: "red" } } },
      /dataset "c": field "colour": unknown field/,
    );
    await bad(
      { datasets: { d: { files: "one.nc", chunks: { time: 0 } } } },
      /dataset "d": field "chunks": "time"/,
    );
    await bad(
      { datasets: { e: { files: ["one.nc", "one.nc"], concat: "depth" } } },
      /dataset "e": field "files": .*no dimension "depth"/,
    );
    await bad({ things: {} }, /needs \{"datasets"/);
    await Deno.writeTextFile(`${dir}/broken.json`, "{ not json");
    await assert.rejects(() => loadConfig(`${dir}/broken.json`), /config .*broken\.json: /);
  });
});

Deno.test("a TypeScript config module exports datasets built with mod.ts", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/one.nc`);
    await Deno.writeTextFile(
      `${dir}/datasets.ts`,
      `import { memoryDataset, openHdf5, withComputed } from "${MOD}";\n` +
        `const file = await openHdf5(${JSON.stringify(`${dir}/one.nc`)});\n` +
        `export default {\n` +
        `  grid: memoryDataset("x", { dims: { x: 3 }, variables: { v: { dims: ["x"], data: new Float32Array([1, 2, 3]) } } }),\n` +
        `  kelvin: withComputed(file, { c: { inputs: ["temp"], dtype: "float32", compute: ([t]) => t.map((x) => x - 273.15) } }),\n` +
        `};\n`,
    );
    const pubs = await loadConfig(`${dir}/datasets.ts`);
    assert.deepEqual(
      pubs.map((p) => p.dataset.name),
      ["grid", "kelvin"],
      "record keys name the stores",
    );
    assert.ok((pubs[1].dataset as Dataset).root.children.has("c"));
  });
});

Deno.test("globs and sizes", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/a1`);
    await Deno.mkdir(`${dir}/a2`);
    for (const f of ["a1/x_1.nc", "a1/x_2.nc", "a2/x_3.nc", "a2/y.nc"]) {
      await Deno.writeTextFile(`${dir}/${f}`, "");
    }
    const got = await expandGlob("a?/x_*.nc", dir);
    assert.deepEqual(got.map((p) => p.slice(dir.length + 1)), [
      "a1/x_1.nc",
      "a1/x_2.nc",
      "a2/x_3.nc",
    ]);
    assert.deepEqual(await expandGlob(`${dir}/a1/x_1.nc`, "/elsewhere"), [`${dir}/a1/x_1.nc`]);
  });
  assert.equal(parseSize("64MB"), 64e6);
  assert.equal(parseSize("16MiB"), 16 * 2 ** 20);
  assert.equal(parseSize("4096"), 4096);
  assert.throws(() => parseSize("lots"), /not a size/);
});

Deno.test("start-up progress: one summary line when stderr is not a terminal", () => {
  const lines: string[] = [];
  const p = progress("clim: files", 1000, (s) => lines.push(s));
  for (let i = 1; i <= 1000; i++) p.update(i);
  p.finish();
  const text = lines.join("");
  if (!Deno.stderr.isTerminal()) assert.equal(lines.length, 1, text);
  assert.match(text, /clim: files: 1000\/1000 in \d+\.\d s \(\d+\/s\)/);
});
