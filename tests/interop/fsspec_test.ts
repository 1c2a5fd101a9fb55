// What fsspec sends, and that its listing survives the pages for people: fsspec's HTTP
// filesystem (aiohttp) asks with "Accept: */*", never text/html, so it keeps the page of links
// it parses, and xarray's unconsolidated open (which lists through it) still works.
import assert from "node:assert/strict";
import { withServer } from "../helpers.ts";
import { patternDataset } from "../pages_fixture.ts";
import { needs, pathFrom, pythonHas } from "../setup.ts";
import { DEBIAN12, PYTHON, readersFor, run } from "./run.ts";

const here = pathFrom(import.meta.url);
const ignore = await needs(
  "fsspec test",
  pythonHas("fsspec, aiohttp, xarray, zarr"),
  "python3-fsspec python3-aiohttp (Debian)",
);
/** The client generations that list and open the store (both under CI). */
const readers = await readersFor("fsspec listing", "fsspec, aiohttp, xarray, zarr");

Deno.test({
  name: "fsspec: asks without text/html and lists a store through its page of links",
  ignore,
  async fn() {
    // A recorder in place of the server: what exactly does fsspec send?
    const seen: Record<string, string>[] = [];
    const ac = new AbortController();
    let recorder = "";
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: ac.signal,
      onListen: ({ port }) => (recorder = `http://127.0.0.1:${port}`),
    }, (req) => {
      seen.push(Object.fromEntries(req.headers));
      return new Response(`<a href="/d/x/">x/</a>`, { headers: { "content-type": "text/html" } });
    });
    const r = await run(PYTHON, [here("./fsspec_list.py"), `${recorder}/d/`]);
    ac.abort();
    await server.finished;
    assert.equal(r.code, 0, r.out);
    assert.ok(seen.length > 0);
    for (const h of seen) {
      assert.ok(!(h.accept ?? "").includes("text/html"), `fsspec sent Accept: ${h.accept}`);
      assert.match(h["user-agent"] ?? "", /aiohttp/);
    }
    console.log(`fsspec sends Accept: ${seen[0].accept}, User-Agent: ${seen[0]["user-agent"]}`);

    await withServer([patternDataset()], async (base) => {
      // zarr-python 2 lists and opens /v2/NAME/ (every v2 document); zarr-python 3 the store's
      // own URL, where Python is answered v3 documents (zarr.json) and no .zgroup.
      for (const gen of readers) {
        const v2 = gen === DEBIAN12;
        const out = await gen.python([
          here("./fsspec_list.py"),
          `${base}/${v2 ? "v2/" : ""}pat/`,
          "block",
        ]);
        assert.equal(out.code, 0, `${gen.name}: ${out.out}`);
        const j = JSON.parse(out.stdout);
        const want = v2 ? [".zgroup", ".zmetadata"] : ["zarr.json"];
        for (const k of [...want, "block", "packed", "time"]) {
          assert.ok(j.ls.includes(k), `${gen.name}: ${k} not in ${j.ls}`);
        }
        if (!v2) assert.ok(!j.ls.includes(".zgroup"), `${gen.name}: ${j.ls}`);
        assert.equal(j.value, 10);
      }
    });
  },
});
