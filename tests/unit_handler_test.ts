/**
 * The composed handler, called as a function (no server): CORS on every answer, errors mapped
 * once, HEAD as GET without a body, a key parsed once into listings, documents and chunks.
 */
import assert from "node:assert/strict";
import { createHandler } from "../src/http/handler.ts";
import { fixedCatalog, fixedEntry } from "../src/http/catalog.ts";
import { createMetrics } from "../src/http/metrics.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { createStore } from "../src/zarr/store.ts";
import { compressorFromSpec } from "../src/codecs/registry.ts";

const store = createStore(
  memoryDataset("m", {
    dims: { x: 4 },
    variables: { v: { dims: ["x"], data: new Float32Array([1, 2, 3, 4]) } },
  }),
  { compressor: compressorFromSpec("none") },
);
const catalog = fixedCatalog([fixedEntry(store)]);
const handler = createHandler(catalog, {
  operations: { catalog, metrics: createMetrics() },
});
const ask = (path: string, init: RequestInit = {}) => handler(new Request(`http://h${path}`, init));

Deno.test("every answer carries CORS: documents, errors, 405, /metrics, /health, preflight", async () => {
  const answers = [
    await ask("/m/v/.zarray"),
    await ask("/m/nothing/.zarray"),
    await ask("/nope"),
    await ask("/m/v/0", { method: "POST" }),
    await ask("/metrics"),
    await ask("/health"),
    await ask("/m/v/.zarray", { method: "OPTIONS" }),
  ];
  assert.deepEqual(answers.map((r) => r.status), [200, 404, 404, 405, 200, 200, 204]);
  for (const r of answers) {
    assert.equal(r.headers.get("access-control-allow-origin"), "*", `${r.status} ${r.url}`);
    await r.body?.cancel();
  }
  assert.equal(answers[3].headers.get("allow"), "GET, HEAD, OPTIONS");
});

Deno.test("statuses come from one place: a malformed key 400, an absent one 404", async () => {
  const cases: [string, number][] = [
    ["/m/v/0", 200],
    ["/m/v/c/0", 200],
    ["/m/v/0.0", 400], // wrong rank
    ["/m/v/4", 404], // outside the grid
    ["/m/v/x", 400],
    ["/m/%zz", 400], // bad URL encoding
    ["/m/v", 404], // an array is no key
    ["/m/", 200], // a group lists its keys
    ["/m/refs.json", 200], // small variables are referenced inline
  ];
  for (const [path, status] of cases) {
    const r = await ask(path);
    await r.body?.cancel();
    assert.equal(r.status, status, path);
  }
});

Deno.test("HEAD is GET without the body, Content-Length kept; 304 for a known ETag", async () => {
  const get = await ask("/m/v/0");
  const bytes = new Uint8Array(await get.arrayBuffer());
  const head = await ask("/m/v/0", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(bytes.length));
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  const again = await ask("/m/v/0", { headers: { "if-none-match": get.headers.get("etag")! } });
  assert.equal(again.status, 304);
  assert.equal(again.body, null);
});

Deno.test("a list of stores is served as well as a catalog (an array has `entries` too)", async () => {
  const r = await createHandler([store])(new Request("http://h/m/v/.zarray"));
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await r.json()).shape[0], 4);
});

Deno.test("a group named like a chunk key still varies by User-Agent (its listing differs)", async () => {
  const named = createStore(
    memoryDataset("n", {
      groups: {
        "2020": { dims: { x: 2 }, variables: { v: { dims: ["x"], data: new Float32Array(2) } } },
      },
    }),
    { compressor: compressorFromSpec("none"), passthrough: "all" },
  );
  const h = createHandler([named]);
  for (const path of ["/n/2020", "/n/2020/", "/n/.zmetadata"]) {
    const r = await h(new Request(`http://h${path}`, { headers: { accept: "application/json" } }));
    await r.body?.cancel();
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get("vary") ?? "", /User-Agent/, path);
  }
  const chunk = await h(new Request("http://h/n/2020/v/0"));
  await chunk.body?.cancel();
  assert.doesNotMatch(
    chunk.headers.get("vary") ?? "",
    /User-Agent/,
    "one view: chunks do not vary",
  );
});
