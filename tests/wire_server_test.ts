/**
 * The server's own HTTP/1.1 on the wire: keep-alive and pipelining in step, HEAD, request bodies
 * dropped, malformed requests answered in one line and closed, HTTP/1.0, idle connections
 * closed, a stop that lets answers finish, and stored chunks written from their read buffers.
 */
import assert from "node:assert/strict";
import { openFile } from "../src/sources/files.ts";
import { keptReadBytes } from "../src/sources/bytes/read_buffers.ts";
import { serveHttp1 } from "../src/http/wire/http1_server.ts";
import { writeNetcdfLike } from "./fixtures.ts";
import { withServer, withTempDir } from "./helpers.ts";

const UA = "Python/3.11 aiohttp/3.8.4";

/** Writes `text` on a fresh connection and reads until the server closes it (or 5 s pass). */
async function exchange(base: string, text: string | Uint8Array): Promise<Uint8Array> {
  const { hostname, port } = new URL(base);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const timer = setTimeout(() => conn.close(), 5000);
  try {
    await conn.write(typeof text === "string" ? new TextEncoder().encode(text) : text);
    const parts: Uint8Array[] = [];
    const buf = new Uint8Array(1 << 16);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      parts.push(buf.slice(0, n));
    }
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) out.set(p, (at += p.length) - p.length);
    return out;
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/** The answers in `bytes`, split by their Content-Length (no HEAD, chunked or 304 here). */
function answers(bytes: Uint8Array): { head: string; body: Uint8Array }[] {
  const out = [];
  let at = 0;
  while (at < bytes.length) {
    let end = at;
    while (
      !(bytes[end] === 13 && bytes[end + 1] === 10 && bytes[end + 2] === 13 &&
        bytes[end + 3] === 10)
    ) end++;
    const head = new TextDecoder().decode(bytes.subarray(at, end));
    const m = /content-length: (\d+)/i.exec(head);
    const len = m ? Number(m[1]) : 0;
    out.push({ head, body: bytes.slice(end + 4, end + 4 + len) });
    at = end + 4 + len;
  }
  return out;
}

async function withFile<T>(fn: (base: string, path: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (dir) => {
    const path = `${dir}/f.nc`;
    await writeNetcdfLike(path);
    return await withServer([await openFile(path, { name: "f" })], (base) => fn(base, path));
  });
}

Deno.test("wire: pipelined requests are answered in order on one connection, bytes exact", async () => {
  await withFile(async (base) => {
    const keys = ["temp/c/0/0/0", "zarr.json", "temp/c/1/1/1", "time/c/0"];
    const expected = [];
    for (const k of keys) {
      const res = await fetch(`${base}/f/${k}`, { headers: { "user-agent": UA } });
      expected.push(new Uint8Array(await res.arrayBuffer()));
    }
    const host = new URL(base).host;
    const text = keys.map((k, i) =>
      `GET /f/${k} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${UA}\r\n` +
      (i === keys.length - 1 ? "Connection: close\r\n" : "") + "\r\n"
    ).join("");
    const got = answers(await exchange(base, text));
    assert.equal(got.length, keys.length);
    for (let i = 0; i < keys.length; i++) {
      assert.match(got[i].head, /^HTTP\/1\.1 200 OK\r\n/, keys[i]);
      assert.deepEqual(got[i].body, expected[i], keys[i]);
    }
    assert.match(got[0].head, /\r\nx-zarrflask-chunk: stored/);
    assert.match(got[3].head, /\r\nconnection: close/);
  });
});

Deno.test("wire: HEAD gives the GET's length and no body; a request body is dropped in step", async () => {
  await withFile(async (base) => {
    const host = new URL(base).host;
    const get = await fetch(`${base}/f/temp/c/0/0/0`, { headers: { "user-agent": UA } });
    const length = (await get.arrayBuffer()).byteLength;
    const raw = await exchange(
      base,
      `HEAD /f/temp/c/0/0/0 HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${UA}\r\n\r\n` +
        `POST /f/zarr.json HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\n\r\nhello` +
        `GET /f/temp/c/0/0/0 HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${UA}\r\n` +
        `Range: bytes=0-3\r\nConnection: close\r\n\r\n`,
    );
    const text = new TextDecoder("latin1").decode(raw);
    const heads = text.split(/(?=HTTP\/1\.1 \d{3} )/);
    assert.equal(heads.length, 3, text.slice(0, 400));
    assert.match(heads[0], /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(heads[0], new RegExp(`\r\ncontent-length: ${length}\r\n`));
    assert.ok(heads[0].endsWith("\r\n\r\n"), "no body after a HEAD's head");
    assert.match(heads[1], /^HTTP\/1\.1 405 /);
    assert.match(heads[2], /^HTTP\/1\.1 206 /);
    assert.match(heads[2], /\r\ncontent-length: 4\r\n/);
  });
});

Deno.test("wire: malformed requests get one line and a closed connection; the server serves on", async () => {
  await withFile(async (base) => {
    for (
      const [bad, status] of [
        ["GARBAGE\r\n\r\n", 400],
        ["GET / HTTP/3.0\r\n\r\n", 505],
        [`GET / HTTP/1.1\r\nX: ${"y".repeat(20000)}\r\n\r\n`, 431],
        ["GET /f/zarr.json HTTP/1.1\r\nHost: a/b\r\n\r\n", 400],
      ] as const
    ) {
      const text = new TextDecoder().decode(await exchange(base, bad));
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${status} `), bad.slice(0, 30));
      assert.match(text, /\r\nconnection: close\r\n/);
      assert.equal(text.split("\r\n\r\n")[1].split("\n").length, 2, "one line of body");
    }
    const res = await fetch(`${base}/f/zarr.json`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
});

Deno.test("wire: HTTP/1.0 closes after its answer; a URL with raw UTF-8 is served", async () => {
  await withFile(async (base) => {
    const text = new TextDecoder().decode(
      await exchange(base, "GET /f/.zgroup HTTP/1.0\r\n\r\n"),
    );
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nconnection: close\r\n/);
    assert.match(text, /"zarr_format"/);
    const raw = new Uint8Array([
      ...new TextEncoder().encode("GET /f/caf"),
      0xc3,
      0xa9,
      ...new TextEncoder().encode(" HTTP/1.1\r\nConnection: close\r\n\r\n"),
    ]);
    const notFound = new TextDecoder().decode(await exchange(base, raw));
    assert.match(notFound, /^HTTP\/1\.1 404 /);
    assert.match(notFound, /café/); // named as the client meant it
  });
});

Deno.test("wire: idle keep-alive connections are closed; a stop lets the answer in flight finish", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const server = serveHttp1(
    { hostname: "127.0.0.1", port: 0, idleMs: 300 },
    async (req) => {
      if (new URL(req.url).pathname === "/slow") await gate;
      return new Response("done", { headers: { "content-length": "4" } });
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  // Idle: one answer, then the server ends the connection by itself.
  const t0 = Date.now();
  const idle = new TextDecoder().decode(await exchange(base, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  assert.match(idle, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\ndone$/);
  assert.ok(Date.now() - t0 < 4000, "closed by the idle sweep, not the test's timeout");
  // Stop while /slow waits: it still gets its answer, with connection: close.
  const slow = exchange(base, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
  await new Promise((r) => setTimeout(r, 100));
  const stopped = server.shutdown();
  release();
  const text = new TextDecoder().decode(await slow);
  assert.match(text, /^HTTP\/1\.1 200 OK[\s\S]*connection: close[\s\S]*done$/);
  await stopped;
  await server.finished;
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }));
});

Deno.test("wire: a streamed body of unknown length goes chunked (1.1) or until close (1.0)", async () => {
  const server = serveHttp1({ hostname: "127.0.0.1", port: 0 }, () => {
    const parts = ["ab", "cd", "ef"];
    return Promise.resolve(
      new Response(
        new ReadableStream({
          pull(c) {
            const p = parts.shift();
            if (p) c.enqueue(new TextEncoder().encode(p));
            else c.close();
          },
        }),
      ),
    );
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const res = await fetch(base);
    assert.equal(res.headers.get("transfer-encoding"), "chunked");
    assert.equal(await res.text(), "abcdef");
    const old = new TextDecoder().decode(await exchange(base, "GET / HTTP/1.0\r\n\r\n"));
    assert.doesNotMatch(old, /chunked|content-length/);
    assert.match(old, /\r\n\r\nabcdef$/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("wire: stored chunks leave from kept read buffers, which come back after the write", async () => {
  await withFile(async (base) => {
    const keys = ["temp/c/0/0/0", "temp/c/1/1/1"];
    const first: Uint8Array[] = [];
    for (const k of keys) {
      const res = await fetch(`${base}/f/${k}`, { headers: { "user-agent": UA } });
      first.push(new Uint8Array(await res.arrayBuffer()));
    }
    // Many rounds over few buffers: every answer is still its own chunk's bytes.
    await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      for (let r = 0; r < 20; r++) {
        const k = (i + r) % 2;
        const res = await fetch(`${base}/f/${keys[k]}`, { headers: { "user-agent": UA } });
        assert.deepEqual(new Uint8Array(await res.arrayBuffer()), first[k]);
      }
    }));
    assert.ok(keptReadBytes() <= 32 << 20);
  });
});

Deno.test("wire: a stalled head is closed, a slow answer is not cut off", async () => {
  const server = serveHttp1(
    { hostname: "127.0.0.1", port: 0, stallMs: 300, idleMs: 10_000 },
    async (req) => {
      if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 1500));
      return new Response("done", { headers: { "content-length": "4" } });
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const t0 = Date.now();
    const stalled = await exchange(base, "GET / HTTP/1.1\r\nHost: a\r\n"); // no blank line
    assert.equal(stalled.length, 0);
    assert.ok(Date.now() - t0 < 4000, "closed by the stall sweep, not the test's timeout");
    const slow = new TextDecoder().decode(
      await exchange(base, "GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
    );
    assert.match(slow, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\ndone$/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("wire: a Latin-1 header value leaves as its bytes, not as UTF-8", async () => {
  const server = serveHttp1({ hostname: "127.0.0.1", port: 0 }, () =>
    Promise.resolve(
      new Response("ok", { headers: { "x-name": "caf\u00e9", "content-length": "2" } }),
    ));
  try {
    const raw = await exchange(
      `http://127.0.0.1:${server.addr.port}`,
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    const at = new TextDecoder("latin1").decode(raw).indexOf("x-name: caf");
    assert.ok(at > 0);
    assert.deepEqual([...raw.subarray(at + 11, at + 13)], [0xe9, 13]); // é is one byte, then CR
  } finally {
    await server.shutdown();
  }
});

Deno.test("wire: a body that comes out shorter or longer than declared is never sent as whole", async () => {
  const stream = (n: number) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(n).fill(1));
        c.close();
      },
    });
  const big = 200_000; // past the writer's one-write size: streamed to its declared length
  const server = serveHttp1({ hostname: "127.0.0.1", port: 0 }, (req) => {
    const path = new URL(req.url).pathname;
    const [n, declared] = path === "/small"
      ? [3, 5]
      : path === "/short"
      ? [big - 10, big]
      : [big + 10, big];
    return Promise.resolve(
      new Response(stream(n), { headers: { "content-length": String(declared) } }),
    );
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const small = new TextDecoder().decode(
      await exchange(base, "GET /small HTTP/1.1\r\nHost: a\r\n\r\n"),
    );
    assert.match(small, /^HTTP\/1\.1 502 [\s\S]*3 bytes, 5 declared\n$/);
    for (const path of ["/short", "/long"]) {
      const raw = await exchange(base, `GET ${path} HTTP/1.1\r\nHost: a\r\n\r\n`);
      const text = new TextDecoder("latin1").decode(raw);
      assert.match(text, new RegExp(`\r\ncontent-length: ${big}\r\n`), path);
      const bodyBytes = raw.length - (text.indexOf("\r\n\r\n") + 4);
      assert.ok(bodyBytes < big, `${path}: ${bodyBytes} bytes, then the connection ended`);
    }
  } finally {
    await server.shutdown();
  }
});
