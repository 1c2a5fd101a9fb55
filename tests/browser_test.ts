/**
 * The pages in a real browser: Debian's Chromium, headless, over the DevTools protocol. The
 * dataset page shows the structure, hostile text stays text, the quick-look is drawn with the
 * pattern in its place, and the page asks nothing of any other server.
 */
import assert from "node:assert/strict";
import { chromiumPath, launch } from "./cdp.ts";
import { withServer, withTempDir } from "./helpers.ts";
import { BLOCK, NX, NY, patternDataset } from "./pages_fixture.ts";
import { needs } from "./setup.ts";

const chromium = chromiumPath();
// Skipped locally without Chromium; CI installs it, so there a missing browser fails the test.
const ignore = await needs("browser test", chromium !== undefined, "chromium (apt-get install)");

/** A page expression that waits until the quick-look is drawn at `at`. */
const drawn = (at: string) =>
  `new Promise((ok, fail) => {
  const t0 = Date.now();
  const poll = () => {
    const look = document.getElementById("look");
    if (look && look.dataset.state === "drawn" && (look.dataset.at ?? "") === ${
    JSON.stringify(at)
  }) ok(true);
    else if (look && look.dataset.state === "error") fail(new Error(look.innerText));
    else if (Date.now() - t0 > 10000) fail(new Error("not drawn: " + (look && look.innerText)));
    else setTimeout(poll, 20);
  };
  poll();
})`;

/** Pixels of the quick-look image as the browser decoded it: [r, g, b, a] at each point. */
const samples = (points: [number, number][]) =>
  `(() => {
  const img = document.querySelector("#look img");
  const c = document.createElement("canvas");
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  return { size: [img.naturalWidth, img.naturalHeight],
    px: ${JSON.stringify(points)}.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data)) };
})()`;

Deno.test({
  name: "browser: dataset page and quick-look in headless Chromium",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      await withServer([patternDataset()], async (base) => {
        assert.ok(chromium, "no Chromium: apt-get install chromium");
        const page = await launch(chromium, `${dir}/profile`);
        try {
          await page.goto(`${base}/pat/`);
          const names = await page.evaluate<string[]>(
            `[...document.querySelectorAll("table.vars td.name a")].map((a) => a.textContent)`,
          );
          assert.deepEqual(names, ["time", "lat", "lon", "block", "packed", "series"]);
          assert.equal(await page.evaluate("typeof window.__pwned"), "undefined");
          assert.ok(
            await page.evaluate<boolean>(
              `document.body.textContent.includes("<script>window.__pwned = 1</script>")`,
            ),
          );

          await page.goto(`${base}/pat/block`);
          await page.evaluate(drawn("0"));
          // Choose time step 1 with the number input, as a person would.
          await page.evaluate(`(() => {
            const n = document.querySelector('#look input[type=number]');
            n.value = "${BLOCK.t}";
            n.dispatchEvent(new Event("change"));
          })()`);
          await page.evaluate(drawn(String(BLOCK.t)));
          const label = await page.evaluate<string>(
            `document.querySelector("#look .dim-label").textContent`,
          );
          assert.equal(label, "2001-02-01");
          const { size, px } = await page.evaluate<{ size: number[]; px: number[][] }>(
            samples([[0, 0], [7, 3], [8, 3], [0, 4], [NX - 1, NY - 1]]),
          );
          assert.deepEqual(size, [NX, NY]);
          const yellow = [0xfd, 0xe7, 0x25, 255], purple = [0x44, 0x01, 0x54, 255];
          assert.deepEqual(px.slice(0, 4), [yellow, yellow, purple, purple]);
          assert.equal(px[4][3], 0); // the NaN is transparent
          const legend = await page.evaluate<string>(
            `document.querySelector("#look .legend").textContent`,
          );
          assert.match(legend, /0 K.*10 K/);
          const shot = await page.screenshot();
          await Deno.writeFile(`${dir}/quicklook.png`, shot);
          assert.deepEqual([...shot.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
          assert.ok(shot.length > 5000);

          await page.goto(`${base}/pat/series`);
          await page.evaluate(drawn(""));
          const points = await page.evaluate<string>(
            `document.querySelector("#look svg polyline").getAttribute("points")`,
          );
          assert.equal(points.split(" ").length, 3);

          const foreign = page.requested.filter((u) =>
            !u.startsWith(base) && !u.startsWith("about:") && !u.startsWith("data:")
          );
          assert.deepEqual(foreign, []);
          assert.ok(page.requested.some((u) => u.includes("/_zarrflask/look/pat/block")));
        } finally {
          await page.close();
        }
      });
    });
  },
});
