/**
 * The zooming quick look in headless Chromium: it starts at the pyramid level that fits the
 * frame, a click and the wheel zoom into finer levels down to single cells, and the pixels drawn
 * equal the level's values; a 10^9-chunk template zooms reading only the chunks in view.
 */
import assert from "node:assert/strict";
import { type BrowserPage, chromiumPath, launch } from "./cdp.ts";
import { withServer, withTempDir } from "./helpers.ts";
import { needs } from "./setup.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { template } from "../src/sources/virtual/template.ts";
import { PALETTE, paletteIndex } from "../src/http/pages/colormap.ts";

const chromium = chromiumPath();
const ignore = await needs(
  "browser zoom test",
  chromium !== undefined,
  "chromium (apt-get install)",
);

const [NY, NX] = [721, 1440];
/** Level-0 values: unique per cell, exact in float32. */
const value = (y: number, x: number) => y * NX + x;

/** Waits until the look is drawn showing something other than `before` (its data-win). */
const redrawn = (before: string) =>
  `new Promise((ok, fail) => {
  const t0 = Date.now();
  const poll = () => {
    const look = document.getElementById("look");
    if (look.dataset.state === "drawn" && look.dataset.win && look.dataset.win !== ${
    JSON.stringify(before)
  }) ok({ level: Number(look.dataset.level), win: look.dataset.win.split(",").map(Number),
      png: document.querySelector("#look img").getAttribute("src") });
    else if (look.dataset.state === "error") fail(new Error(look.innerText));
    else if (Date.now() - t0 > 15000) fail(new Error("not redrawn: " + look.innerText));
    else setTimeout(poll, 20);
  };
  poll();
})`;

/** A click (or wheel turns) at fractions (fx, fy) of the picture, as pointer events. */
const act = (kind: "click" | "wheel", fx: number, fy: number) =>
  `(() => {
  const img = document.querySelector("#look img");
  const r = img.getBoundingClientRect();
  const at = { clientX: r.left + ${fx} * r.width, clientY: r.top + ${fy} * r.height, bubbles: true };
  if (${JSON.stringify(kind)} === "click") {
    img.dispatchEvent(new PointerEvent("pointerdown", at));
    img.dispatchEvent(new PointerEvent("pointerup", at));
  } else img.dispatchEvent(new WheelEvent("wheel", { ...at, deltaY: -100, cancelable: true }));
})()`;

interface Shown {
  level: number;
  win: number[];
  png: string;
}

/** The pixels at `points` of the picture as decoded, against the level's values. */
async function checkPixels(page: BrowserPage, base: string, shown: Shown): Promise<void> {
  const look = await (await fetch(`${base}${shown.png.replace("&format=png", "")}`)).json();
  const f = look.field;
  const points: [number, number][] = [[0, 0], [f.width - 1, f.height - 1], [
    Math.floor(f.width / 3),
    Math.floor(f.height / 2),
  ]];
  const got = await page.evaluate<number[][]>(`(() => {
    const img = document.querySelector("#look img");
    const c = document.createElement("canvas");
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    return ${JSON.stringify(points)}.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data));
  })()`);
  const s = 2 ** shown.level;
  const [y0, , x0] = f.window;
  points.forEach(([px, py], i) => {
    const row = y0 + f.stride * (f.flipped ? f.height - 1 - py : py);
    const col = x0 + f.stride * px;
    let sum = 0, n = 0;
    for (let y = row * s; y < Math.min((row + 1) * s, NY); y++) {
      for (let x = col * s; x < Math.min((col + 1) * s, NX); x++) {
        [sum, n] = [sum + value(y, x), n + 1];
      }
    }
    const k = paletteIndex(Math.fround(sum / n), look.min, look.max);
    const want = [...PALETTE.subarray(k * 3, k * 3 + 3), 255];
    assert.deepEqual(
      got[i],
      want,
      `level ${shown.level} pixel (${px}, ${py}): cell (${row}, ${col})`,
    );
  });
}

Deno.test({
  name: "browser: the quick look zooms through pyramid levels down to single cells",
  ignore,
  async fn() {
    const v = new Float32Array(NY * NX);
    for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) v[y * NX + x] = value(y, x);
    const ds = memoryDataset("grid", {
      dims: { lat: NY, lon: NX },
      variables: {
        lat: {
          dims: ["lat"],
          data: Float32Array.from({ length: NY }, (_, i) => -90 + i * 0.25),
          attrs: { units: "degrees_north" },
        },
        lon: {
          dims: ["lon"],
          data: Float32Array.from({ length: NX }, (_, i) => i * 0.25),
          attrs: { units: "degrees_east" },
        },
        v: { dims: ["lat", "lon"], data: v, chunks: [181, 360] },
      },
    });
    await withTempDir(async (dir) => {
      await withServer([ds], async (base) => {
        const page = await launch(chromium!, `${dir}/profile`);
        try {
          await page.goto(`${base}/grid/v`);
          let shown = await page.evaluate<Shown>(redrawn(""));
          const frame = await page.evaluate<number>(
            `document.querySelector("#look .frame").clientWidth`,
          );
          // The coarsest level with at least the frame's width of columns.
          const widths = [1440, 720, 360];
          const fits = widths.findLastIndex((w) => w >= Math.max(256, Math.min(frame, 1024)));
          assert.equal(shown.level, fits, `frame ${frame} px`);
          assert.deepEqual(shown.win, [0, Math.ceil(NY / 2 ** fits), 0, widths[fits]]);
          await checkPixels(page, base, shown);

          await page.evaluate(act("click", 0.25, 0.5));
          const before = shown;
          shown = await page.evaluate<Shown>(redrawn(shown.win.join(",")));
          assert.ok(
            shown.level < before.level ||
              shown.win[3] - shown.win[2] < before.win[3] - before.win[2],
            `zoomed in: ${JSON.stringify(before)} -> ${JSON.stringify(shown)}`,
          );
          await checkPixels(page, base, shown);

          for (let i = 0; i < 14; i++) {
            await page.evaluate(act("wheel", 0.5, 0.5));
            shown = await page.evaluate<Shown>(redrawn(shown.win.join(",")));
          }
          assert.equal(shown.level, 0, "the finest level");
          assert.ok(shown.win[3] - shown.win[2] <= 16, `single cells: ${shown.win}`);
          await checkPixels(page, base, shown);

          // A narrower frame: the whole field is drawn from a coarser level.
          await page.evaluate(`(() => {
            document.querySelector("#look .frame").style.width = "500px";
            document.querySelector("#look button.whole").click();
          })()`);
          shown = await page.evaluate<Shown>(redrawn(shown.win.join(",")));
          assert.equal(shown.level, 1);
          assert.deepEqual(shown.win, [0, 361, 0, 720]);
          await checkPixels(page, base, shown);

          const foreign = page.requested.filter((u) =>
            !u.startsWith(base) && !u.startsWith("about:") && !u.startsWith("data:")
          );
          assert.deepEqual(foreign, []);
        } finally {
          await page.close();
        }
      });
    });
  },
});

Deno.test({
  name: "browser: a 10^9-chunk template zooms to single cells, reading only the chunks in view",
  ignore,
  async fn() {
    let generated = 0;
    const ds = template("cube", {
      dims: { time: 1_000_000_000, lat: 1801, lon: 3600 },
      variables: {
        lat: {
          dims: ["lat"],
          dtype: "float32",
          chunks: [1801],
          attrs: { units: "degrees_north" },
          chunk: () => Float32Array.from({ length: 1801 }, (_, i) => -90 + i * 0.1),
        },
        lon: {
          dims: ["lon"],
          dtype: "float32",
          chunks: [3600],
          attrs: { units: "degrees_east" },
          chunk: () => Float32Array.from({ length: 3600 }, (_, i) => i * 0.1),
        },
        t: {
          dims: ["time", "lat", "lon"],
          dtype: "float32",
          chunks: [1, 601, 1200],
          chunk: ({ start, count }) => {
            generated++;
            return Float32Array.from(
              { length: count[1] * count[2] },
              (_, i) => start[1] + Math.floor(i / count[2]) + (start[2] + (i % count[2])) / 4000,
            );
          },
        },
      },
    });
    await withTempDir(async (dir) => {
      await withServer([ds], async (base) => {
        const page = await launch(chromium!, `${dir}/profile`);
        try {
          await page.goto(`${base}/cube/t`);
          let shown = await page.evaluate<Shown>(redrawn(""));
          const frame = await page.evaluate<number>(
            `document.querySelector("#look .frame").clientWidth`,
          );
          const widths = [3600, 1800, 900, 450];
          const fits = widths.findLastIndex((w) => w >= Math.max(256, Math.min(frame, 1024)));
          assert.equal(shown.level, fits, `starts at the level that fits ${frame} px`);
          assert.ok(fits > 0);
          const whole = generated; // the one time step's 9 chunks, once
          assert.ok(whole <= 9, `the first picture generated ${whole} chunks`);
          for (
            let i = 0;
            i < 20 && !(shown.level === 0 && shown.win[3] - shown.win[2] <= 16);
            i++
          ) {
            await page.evaluate(act("wheel", 0.3, 0.6));
            shown = await page.evaluate<Shown>(redrawn(shown.win.join(",")));
          }
          assert.equal(shown.level, 0);
          assert.ok(shown.win[3] - shown.win[2] <= 16, `single cells: ${shown.win}`);
          assert.ok(generated <= 9 + 4, `zooming generated ${generated - whole} more chunks`);
        } finally {
          await page.close();
        }
      });
    });
  },
});
