/** HTTP semantics: status codes, HEAD, CORS, ETag/304, Range/206, listings, robustness. */
import assert from "node:assert/strict";
import { demoClimate } from "../src/sources/virtual/demo_memory.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { withServer } from "./helpers.ts";

const get = (url: string, init?: RequestInit) => fetch(url, { redirect: "manual", ...init });

async function status(url: string, init?: RequestInit): Promise<number> {
  const res = await get(url, init);
  await res.body?.cancel();
  return res.status;
}

Deno.test("status codes: 200 for keys, 404 missing or out of range, 400 malformed", async () => {
  await withServer([demoClimate()], async (base) => {
    const s = `${base}/climate`;
    assert.equal(await status(`${s}/.zgroup`), 200);
    assert.equal(await status(`${s}/.zmetadata`), 200);
    assert.equal(await status(`${s}/air/.zarray`), 200);
    assert.equal(await status(`${s}/air/0.0.0`), 200);
    assert.equal(await status(`${s}/air/c/3/0/0`), 200);
    assert.equal(await status(`${s}/zarr.json`), 200);
    assert.equal(await status(`${s}/air/4.0.0`), 404, "time has 4 chunks: 0..3");
    assert.equal(await status(`${s}/air/c/0/1/0`), 404);
    assert.equal(await status(`${s}/nothing/.zarray`), 404);
    assert.equal(await status(`${s}/air/.zgroup`), 404, "an array has no .zgroup");
    assert.equal(await status(`${s}/.zarray`), 404, "the root is a group");
    assert.equal(await status(`${s}/air/.zmetadata`), 404);
    assert.equal(await status(`${base}/nope/.zgroup`), 404);
    assert.equal(await status(`${s}/air/x.0.0`), 400);
    assert.equal(await status(`${s}/air/0.0`), 400, "wrong rank");
    assert.equal(await status(`${s}/air/-1.0.0`), 400);
    assert.equal(await status(`${s}/air/00.0.0`), 400);
    assert.equal(await status(`${s}/air/c/0/0`), 400);
    assert.equal(await status(`${s}/air//0.0.0`), 400);
    assert.equal(await status(`${s}/air/99999999999999999999.0.0`), 400);
    assert.equal(await status(`${s}/%E0%A4%A`), 400, "bad percent-encoding");
    assert.equal(await status(`${s}`), 200, "no redirect to the slash form");
    assert.equal(await status(`${s}/.zgroup`, { method: "POST" }), 405);
  });
});

Deno.test("content types, Content-Length, and HEAD", async () => {
  await withServer([demoClimate()], async (base) => {
    for (const key of [".zmetadata", "air/.zarray", "air/0.0.0", "zarr.json"]) {
      const res = await get(`${base}/climate/${key}`);
      const body = new Uint8Array(await res.arrayBuffer());
      const type = key.includes("0.0.0") ? "application/octet-stream" : "application/json";
      assert.equal(res.headers.get("content-type"), type);
      assert.equal(Number(res.headers.get("content-length")), body.length);
      const head = await get(`${base}/climate/${key}`, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(Number(head.headers.get("content-length")), body.length, `HEAD ${key}`);
      assert.equal((await head.arrayBuffer()).byteLength, 0);
    }
  });
});

Deno.test("CORS on every response, and preflight", async () => {
  await withServer([demoClimate()], async (base) => {
    const ok = await get(`${base}/climate/.zgroup`, { headers: { origin: "http://x.example" } });
    await ok.body?.cancel();
    assert.equal(ok.headers.get("access-control-allow-origin"), "*");
    const exposed = ok.headers.get("access-control-expose-headers") ?? "";
    for (const h of ["ETag", "Content-Length", "Content-Range"]) assert.ok(exposed.includes(h));
    const missing = await get(`${base}/climate/nothing`);
    await missing.body?.cancel();
    assert.equal(missing.headers.get("access-control-allow-origin"), "*");
    const pre = await get(`${base}/climate/air/0.0.0`, {
      method: "OPTIONS",
      headers: { origin: "http://x.example", "access-control-request-headers": "range" },
    });
    await pre.body?.cancel();
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get("access-control-allow-headers") ?? "", /Range/);
  });
});

Deno.test("strong ETag, 304 on If-None-Match, Cache-Control", async () => {
  await withServer([demoClimate()], async (base) => {
    for (const key of ["air/0.0.0", ".zmetadata"]) {
      const res = await get(`${base}/climate/${key}`);
      await res.body?.cancel();
      const etag = res.headers.get("etag")!;
      assert.match(etag, /^"[0-9a-f]+"$/);
      assert.ok(res.headers.get("cache-control"));
      const again = await get(`${base}/climate/${key}`, { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
      assert.equal((await again.arrayBuffer()).byteLength, 0);
      const other = await get(`${base}/climate/${key}`, { headers: { "if-none-match": '"x"' } });
      await other.body?.cancel();
      assert.equal(other.status, 200);
    }
    const revalidated = await get(`${base}/climate/air/3.0.0`, {
      headers: { "if-none-match": "*" },
    });
    await revalidated.body?.cancel();
    assert.equal(revalidated.status, 304, "If-None-Match: * on an existing chunk");
    const absent = await get(`${base}/climate/air/9.0.0`, { headers: { "if-none-match": "*" } });
    await absent.body?.cancel();
    assert.equal(absent.status, 404, "a 304 only for keys that exist");
    const a = await get(`${base}/climate/air/0.0.0`);
    const b = await get(`${base}/climate/air/1.0.0`);
    await a.body?.cancel();
    await b.body?.cancel();
    assert.notEqual(a.headers.get("etag"), b.headers.get("etag"));
  });
});

Deno.test("Range requests answer 206 with the right bytes", async () => {
  await withServer([demoClimate()], async (base) => {
    const url = `${base}/climate/air/0.0.0`;
    const whole = new Uint8Array(await (await get(url)).arrayBuffer());
    const n = whole.length;
    const cases: [string, number, number][] = [
      ["bytes=0-9", 0, 9],
      ["bytes=10-", 10, n - 1],
      ["bytes=-16", n - 16, n - 1],
      [`bytes=5-${n + 100}`, 5, n - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(url, { headers: { range } });
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${n}`);
      assert.equal(Number(res.headers.get("content-length")), end - start + 1);
      assert.deepEqual(body, whole.subarray(start, end + 1));
    }
    const bad = await get(url, { headers: { range: `bytes=${n}-` } });
    await bad.body?.cancel();
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get("content-range"), `bytes */${n}`);
  });
});

Deno.test("strict JSON: NaN and infinities are strings zarr understands", async () => {
  const ds = memoryDataset("nan", {
    dims: { x: 3 },
    attrs: { missing: NaN, big: Infinity },
    variables: {
      v: {
        dims: ["x"],
        data: new Float32Array([1, 2, 3]),
        fillValue: -Infinity,
        attrs: { a: [1, NaN] },
      },
    },
  });
  await withServer([ds], async (base) => {
    const z = JSON.parse(await (await get(`${base}/nan/v/.zarray`)).text());
    assert.equal(z.fill_value, "-Infinity");
    const meta = JSON.parse(await (await get(`${base}/nan/.zmetadata`)).text());
    assert.equal(meta.metadata[".zattrs"].missing, "NaN");
    assert.equal(meta.metadata[".zattrs"].big, "Infinity");
    assert.deepEqual(meta.metadata["v/.zattrs"].a, [1, "NaN"]);
    const v3 = JSON.parse(await (await get(`${base}/nan/v/zarr.json`)).text());
    assert.equal(v3.fill_value, "-Infinity");
  });
});

Deno.test("listings: / as JSON and HTML, a store root's keys", async () => {
  await withServer([demoClimate()], async (base) => {
    const json = await (await get(`${base}/`)).json();
    assert.deepEqual(json.datasets.map((d: { name: string }) => d.name), ["climate"]);
    const html = await get(`${base}/`, { headers: { accept: "text/html" } });
    assert.match(html.headers.get("content-type")!, /text\/html/);
    assert.match(await html.text(), /open_zarr\(&#34;http:\/\/127/);
    const root = await (await get(`${base}/climate/`, { headers: { accept: "application/json" } }))
      .json();
    assert.ok(root.keys.includes(".zmetadata") && root.keys.includes("air/"));
    // What fsspec's HTTP filesystem sees: a page of links, with or without the slash.
    for (const url of [`${base}/climate/`, `${base}/climate`]) {
      const page = await (await get(url)).text();
      assert.match(page, /href="\/climate\/air\/"/);
    }
  });
});

Deno.test("a failing chunk read is a 500 and the server keeps serving", async () => {
  const good = demoClimate();
  const broken: ArrayNode = {
    kind: "array",
    shape: [4],
    chunks: [2],
    dtype: { kind: "float", size: 4 },
    dims: ["x"],
    attrs: {},
    fillValue: null,
    readChunk: () => {
      throw new Error("disk on fire");
    },
  };
  const bad: Dataset = {
    name: "bad",
    root: { kind: "group", attrs: {}, children: new Map([["v", broken]]) },
    version: "1",
    source: "test",
    warnings: [],
  };
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    await withServer([good, bad], async (base) => {
      assert.equal(await status(`${base}/bad/v/0`), 500);
      const junk = ["%00", "..", "a/../../etc/passwd", "x".repeat(5000), "air/0.0.0.0.0", "c/c/c"];
      for (const j of junk) assert.ok((await status(`${base}/climate/${j}`)) < 500, j);
      assert.equal(await status(`${base}/climate/air/0.0.0`), 200);
    });
  } finally {
    console.error = original;
  }
  assert.equal(errors.length, 1, "the failure is logged once");
});
