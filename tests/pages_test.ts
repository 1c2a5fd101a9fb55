/** The pages for people and the quick-look endpoint, without a browser (see browser_test.ts). */
import assert from "node:assert/strict";
import { template } from "../src/sources/virtual/template.ts";
import { withServer } from "./helpers.ts";
import { BLOCK, HOSTILE, NX, NY, patternDataset } from "./pages_fixture.ts";
import { decodePng, pixel } from "./png_decode.ts";
import { esc } from "../src/http/pages/html.ts";

const html = { headers: { accept: "text/html,application/xhtml+xml" } };

Deno.test("pages: a browser gets structure, coordinates first, escaped attributes", async () => {
  await withServer([patternDataset()], async (base) => {
    const res = await fetch(`${base}/pat/`, html);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
    assert.match(res.headers.get("vary")!, /Accept/);
    const page = await res.text();
    for (const name of ["time", "lat", "lon", "block", "packed", "series"]) {
      assert.match(page, new RegExp(`href="/pat/${name}">${name}<`));
    }
    // Coordinates come before data variables.
    assert.ok(page.indexOf(">lat<") < page.indexOf(">block<"));
    assert.ok(page.indexOf("<h2>Coordinates") < page.indexOf(">lat<"));
    assert.ok(page.indexOf("<h2>Data variables") > page.indexOf(">lon<"));
    assert.match(page, /\(time, lat, lon\)/);
    assert.match(page, /int16/);
    assert.match(page, /xarray\.open_zarr\(&#34;http:\/\/127\.0\.0\.1:\d+\/pat&#34;\)/);
    assert.match(page, /zarr\.FetchStore/);
    // zarr-python 2 unconsolidated and zarr_format=2 read the v2-only URL
    assert.match(
      page,
      /zarr\.open_group\(&#34;http:\/\/127\.0\.0\.1:\d+\/v2\/pat&#34;, mode=&#34;r&#34;\)/,
    );
    assert.match(page, /\/vsicurl\//);
    // The hostile attribute is text: no tag of it survives.
    assert.ok(!page.includes("<script>window"));
    assert.ok(!page.includes("<img src=x"));
    assert.ok(page.includes(esc(HOSTILE)));
    // Only this server's script and style.
    const srcs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(srcs.every((s) => s.startsWith("/")), `external reference in ${srcs}`);
    const js = await fetch(`${base}/_zarrflask/page.js`);
    assert.match(js.headers.get("content-type")!, /javascript/);
    assert.match(await js.text(), /quick-look|dataset\.api/);
    assert.equal((await fetch(`${base}/_zarrflask/nothing.js`)).status, 404);
    // The variable page carries the quick-look's data attributes.
    const vpage = await (await fetch(`${base}/pat/block`, html)).text();
    assert.match(vpage, /data-api="\/_zarrflask\/look\/pat\/block"/);
    assert.ok(!vpage.includes("<script>window"));
    const index = await (await fetch(`${base}/`, html)).text();
    assert.match(index, /href="\/pat\/">pat</);
  });
});

Deno.test("pages: programs keep their listings (fsspec's Accept: */*)", async () => {
  await withServer([patternDataset()], async (base) => {
    const res = await fetch(`${base}/pat/`, { headers: { accept: "*/*" } });
    const text = await res.text();
    assert.match(text, /<a href="\/pat\/block\/">block\/<\/a>/);
    assert.ok(!text.includes("page.js"));
    assert.match(res.headers.get("vary")!, /Accept/);
    const json = await (await fetch(`${base}/`)).json();
    assert.deepEqual(json.datasets.map((d: { name: string }) => d.name), ["pat"]);
    // A variable path is no key for programs.
    assert.equal((await fetch(`${base}/pat/block`, { headers: { accept: "*/*" } })).status, 404);
  });
});

Deno.test("quick-look: the pattern at its place, flipped north up, NaN transparent", async () => {
  await withServer([patternDataset()], async (base) => {
    const look = await (await fetch(`${base}/_zarrflask/look/pat/block?at=${BLOCK.t}`)).json();
    assert.equal(look.kind, "field");
    assert.deepEqual([look.field.width, look.field.height], [NX, NY]);
    assert.equal(look.field.flipped, true);
    assert.equal(look.leading[0].label, "2001-02-01");
    assert.deepEqual([look.min, look.max, look.masked], [0, 10, 1]);
    assert.equal(look.field.y.top, "75 degrees_north");
    assert.equal(look.read.chunks, 4);
    const img = decodePng(
      new Uint8Array(await (await fetch(`${base}${look.field.png}`)).arrayBuffer()),
    );
    assert.deepEqual([img.width, img.height], [NX, NY]);
    const yellow = [0xfd, 0xe7, 0x25, 255], purple = [0x44, 0x01, 0x54, 255];
    // Row r shows latitude NY-1-r: the block's rows are 0..3, its columns 0..7.
    assert.deepEqual(pixel(img, 0, 0), yellow);
    assert.deepEqual(pixel(img, 7, 3), yellow);
    assert.deepEqual(pixel(img, 8, 3), purple);
    assert.deepEqual(pixel(img, 0, 4), purple);
    assert.equal(pixel(img, NX - 1, NY - 1)[3], 0); // the NaN
    // Another time step has no block.
    const t0 = await (await fetch(`${base}/_zarrflask/look/pat/block?at=0`)).json();
    assert.deepEqual([t0.min, t0.max], [0, 0]);
  });
});

Deno.test("quick-look: packed values unpacked, fill masked, lines and bad requests", async () => {
  await withServer([patternDataset()], async (base) => {
    const look = await (await fetch(`${base}/_zarrflask/look/pat/packed`)).json();
    assert.deepEqual([look.min, look.max, look.masked], [100, 100 + 0.5 * (NX - 1), 1]);
    assert.equal(look.maxLabel, "115.5 mm");
    const line = await (await fetch(`${base}/_zarrflask/look/pat/series`)).json();
    assert.equal(line.kind, "line");
    assert.deepEqual(line.line.high, [1, 5, 2]);
    const bad = await fetch(`${base}/_zarrflask/look/pat/block?at=x`);
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const none = await fetch(`${base}/_zarrflask/look/pat/nothing`);
    assert.equal(none.status, 404);
    await none.body?.cancel();
    // An index past the end is clamped to the last one.
    const last = await (await fetch(`${base}/_zarrflask/look/pat/block?at=99`)).json();
    assert.equal(last.leading[0].index, 2);
  });
});

Deno.test("quick-look: a template's slice makes only its chunks; huge slices are refused", async () => {
  let made = 0;
  const ds = template("cube", {
    dims: { time: 1_000_000_000, y: 64, x: 128, big: 100_000 },
    variables: {
      time: {
        dims: ["time"],
        dtype: "float64",
        chunks: [1000],
        attrs: { units: "hours since 1900-01-01" },
        chunk: ({ start, count }) =>
          Float64Array.from({ length: count[0] }, (_, i) => start[0] + i),
      },
      v: {
        dims: ["time", "y", "x"],
        dtype: "float32",
        chunks: [1, 32, 64],
        chunk: ({ start, count }) => {
          made++;
          return new Float32Array(count[1] * count[2]).fill(start[0]);
        },
      },
      wide: {
        dims: ["big", "big"],
        dtype: "float32",
        chunks: [1000, 100_000],
        chunk: () => new Float32Array(0),
      },
    },
  });
  await withServer([ds], async (base) => {
    const look = await (await fetch(`${base}/_zarrflask/look/cube/v?at=876599`)).json();
    assert.equal(made, 4);
    assert.equal(look.read.chunks, 4);
    assert.equal(look.leading[0].label, "2000-01-01 23:00");
    assert.deepEqual([look.min, look.max], [876599, 876599]);
    const big = await fetch(`${base}/_zarrflask/look/cube/wide`);
    assert.equal(big.status, 413);
    assert.match(await big.text(), /at most/);
    const page = await fetch(`${base}/cube/`, html);
    assert.match(await page.text(), /1000000000 × 64 × 128/);
  });
});

Deno.test("CF dates in the calendars xarray decodes (values checked against cftime)", async () => {
  const { cfDate } = await import("../src/http/pages/cf_time.ts");
  assert.equal(cfDate(876599, "hours since 1900-01-01"), "2000-01-01 23:00");
  assert.equal(cfDate(365, "days since 2000-01-01", "noleap"), "2001-01-01");
  assert.equal(cfDate(359.5, "days since 2000-01-01", "360_day"), "2000-12-30 12:00");
  assert.equal(cfDate(1.5, "days since 2000-01-01T06:00:00Z"), "2000-01-02 18:00");
  assert.equal(cfDate(3, "metres"), undefined);
});

Deno.test("the pages' prefix cannot be taken by a dataset", async () => {
  const { memoryDataset } = await import("../src/sources/virtual/memory.ts");
  const ds = memoryDataset("_zarrflask", { variables: {} });
  await assert.rejects(() => withServer([ds], () => Promise.resolve()), /reserved/);
});
