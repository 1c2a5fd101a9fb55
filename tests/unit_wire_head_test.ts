/** Request heads as the server's own HTTP/1.1 parses them (no server). */
import assert from "node:assert/strict";
import { headEnd, parseHead, requestUrl, WireError } from "../src/http/wire/request_head.ts";
import { responseHead } from "../src/http/wire/response_head.ts";

const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

function status(text: string): number {
  try {
    parseHead(bytes(text));
    return 0;
  } catch (e) {
    assert.ok(e instanceof WireError, String(e));
    return e.status;
  }
}

Deno.test("wire: a head ends at its blank line, pipelined bytes after it are not part of it", () => {
  const two = bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n");
  const end = headEnd(two, two.length);
  assert.equal(end, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n".length);
  assert.equal(headEnd(two.subarray(end), two.length - end), -1);
  const head = parseHead(two.subarray(0, end));
  assert.equal(head.method, "GET");
  assert.equal(head.target, "/a");
  assert.deepEqual(head.headers, [["host", "x"]]);
  assert.equal(head.keepAlive, true);
});

Deno.test("wire: keep-alive follows the version and Connection", () => {
  const keep = (s: string) => parseHead(bytes(`${s}\r\n\r\n`)).keepAlive;
  assert.equal(keep("GET / HTTP/1.1\r\nHost: x"), true);
  assert.equal(keep("GET / HTTP/1.1\r\nConnection: close"), false);
  assert.equal(keep("GET / HTTP/1.1\r\nConnection: Keep-Alive, Close"), false);
  assert.equal(keep("GET / HTTP/1.0"), false);
  assert.equal(keep("GET / HTTP/1.0\r\nConnection: keep-alive"), true);
});

Deno.test("wire: malformed heads are refused with the status that says why", () => {
  assert.equal(status("GET /\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/2.0\r\n\r\n"), 505);
  assert.equal(status("GET / SPDY/3\r\n\r\n"), 400);
  assert.equal(status("G(T / HTTP/1.1\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nNo colon\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nBad name: x\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\n folded: x\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
  assert.equal(
    status("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    400,
  );
  const many = Array.from({ length: 101 }, (_, i) => `X-${i}: y\r\n`).join("");
  assert.equal(status(`GET / HTTP/1.1\r\n${many}\r\n`), 431);
  assert.equal(status("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
});

Deno.test("wire: targets and hosts make the request URL; raw UTF-8 is percent-encoded", () => {
  const head = (s: string) => parseHead(bytes(`${s}\r\n\r\n`));
  assert.equal(
    requestUrl(head("GET /d/x?y=1 HTTP/1.1\r\nHost: example.org:8080"), "http", "h:1"),
    "http://example.org:8080/d/x?y=1",
  );
  assert.equal(requestUrl(head("GET / HTTP/1.0"), "https", "127.0.0.1:9"), "https://127.0.0.1:9/");
  assert.equal(
    requestUrl(head("GET http://a.b/c HTTP/1.1\r\nHost: z"), "http", "h"),
    "http://a.b/c",
  );
  // "é" sent as its two UTF-8 bytes, unencoded
  const raw = new Uint8Array([...bytes("GET /caf"), 0xc3, 0xa9, ...bytes(" HTTP/1.1\r\n\r\n")]);
  assert.equal(parseHead(raw).target, "/caf%C3%A9");
  assert.throws(() => requestUrl(head("GET / HTTP/1.1\r\nHost: a/b"), "http", "h"), WireError);
  assert.throws(() => requestUrl(head("GET * HTTP/1.1\r\nHost: a"), "http", "h"), WireError);
});

Deno.test("wire: answer heads frame the body themselves, and a HEAD keeps the GET's length", () => {
  const res = new Response(null, {
    status: 206,
    headers: { "content-length": "99", "content-type": "x/y", connection: "upgrade" },
  });
  const text = (h: string) => h;
  const full = text(responseHead(res, { kind: "length", length: 5 }, true, false));
  assert.match(full, /^HTTP\/1\.1 206 Partial Content\r\n/);
  assert.match(full, /\r\ncontent-length: 5\r\n/);
  assert.doesNotMatch(full, /99|upgrade|connection:/);
  assert.match(full, /\r\ndate: .+ GMT\r\n\r\n$/);
  const head = text(responseHead(res, { kind: "none" }, false, true));
  assert.match(head, /\r\ncontent-length: 99\r\n/);
  assert.match(head, /\r\nconnection: close\r\n/);
  const chunked = text(responseHead(res, { kind: "chunked" }, true, false));
  assert.match(chunked, /\r\ntransfer-encoding: chunked\r\n/);
  assert.doesNotMatch(chunked, /content-length/);
});
