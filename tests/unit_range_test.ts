/**
 * Unit: parseRange (src/http/respond.ts), every form of a Range header against a 1000-byte
 * body, then the 206/416/200 answers bodyResponse and spanResponse build from it, called
 * directly with a Request (no server).
 */
import { acceptsDirectBodies, takeDirectBody } from "../src/http/direct_bodies.ts";
import assert from "node:assert/strict";
import { bodyResponse, parseRange, spanResponse } from "../src/http/respond.ts";

const SIZE = 1000;
const range = (header: string | null, size = SIZE) => parseRange(header, size);

Deno.test("unit parseRange: first-last, suffix and open-ended ranges", () => {
  assert.deepEqual(range("bytes=0-99"), { start: 0, end: 99 });
  assert.deepEqual(range("bytes=0-0"), { start: 0, end: 0 });
  assert.deepEqual(range("bytes=999-999"), { start: 999, end: 999 });
  assert.deepEqual(range("bytes=-100"), { start: 900, end: 999 }); // the last 100
  assert.deepEqual(range("bytes=-1"), { start: 999, end: 999 });
  assert.deepEqual(range("bytes=100-"), { start: 100, end: 999 });
  assert.deepEqual(range("bytes=0-"), { start: 0, end: 999 });
  assert.deepEqual(range("bytes=007-010"), { start: 7, end: 10 });
  assert.deepEqual(range("bytes= 5-9 "), { start: 5, end: 9 });
});

Deno.test("unit parseRange: beyond the end is clipped, or unsatisfiable when it starts there", () => {
  assert.deepEqual(range("bytes=900-5000"), { start: 900, end: 999 });
  assert.deepEqual(range("bytes=0-99999999999999999999"), { start: 0, end: 999 });
  assert.deepEqual(range("bytes=-5000"), { start: 0, end: 999 }); // a suffix longer: all of it
  assert.equal(range("bytes=1000-"), "unsatisfiable");
  assert.equal(range("bytes=1000-1000"), "unsatisfiable");
  assert.equal(range("bytes=5000-6000"), "unsatisfiable");
  assert.equal(range("bytes=-0"), "unsatisfiable"); // a zero-length suffix
  // An empty body satisfies no range.
  assert.equal(range("bytes=0-", 0), "unsatisfiable");
  assert.equal(range("bytes=-10", 0), "unsatisfiable");
  assert.equal(range("bytes=0-0", 0), "unsatisfiable");
});

Deno.test("unit parseRange: absent, malformed or multiple ranges are ignored (null: send all)", () => {
  for (
    const header of [
      null,
      "",
      "bytes=",
      "bytes=-",
      "bytes=100-50", // last before first
      "bytes=0-99,200-299", // several ranges: one 200 instead of multipart
      "bytes=0-99, 200-",
      "bytes=a-b",
      "bytes=1.5-2",
      "bytes=--1",
      "bytes 0-99",
      "0-99",
      "items=0-99",
      "bytes=0-99;",
    ]
  ) {
    assert.equal(range(header), null, String(header));
  }
});

const body = new Uint8Array(SIZE).map((_, i) => i % 251);
const ETAG = '"e1"';

function get(headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request("http://unit.test/d/x/0", { method, headers });
}

function answer(req: Request): Response {
  return bodyResponse(req, body, "application/octet-stream", ETAG, "public, max-age=60");
}

Deno.test("unit bodyResponse: 206 with Content-Range, 416, 200 for what is not understood", async () => {
  const part = answer(get({ range: "bytes=10-19" }));
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), "bytes 10-19/1000");
  assert.equal(part.headers.get("content-length"), "10");
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), body.slice(10, 20));

  const tail = answer(get({ range: "bytes=-3" }));
  assert.equal(tail.headers.get("content-range"), "bytes 997-999/1000");
  assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), body.slice(997));

  const past = answer(get({ range: "bytes=1000-" }));
  assert.equal(past.status, 416);
  assert.equal(past.headers.get("content-range"), "bytes */1000");
  assert.equal(await past.text(), "");

  const multi = answer(get({ range: "bytes=0-1,5-6" }));
  assert.equal(multi.status, 200);
  assert.equal(multi.headers.get("content-range"), null);
  assert.equal((await multi.arrayBuffer()).byteLength, SIZE);

  const head = answer(get({ range: "bytes=0-99" }, "HEAD"));
  assert.equal(head.status, 206);
  assert.equal(head.headers.get("content-length"), "100");
  assert.equal(head.body, null);

  // A matching ETag wins over the range: 304, no body.
  const same = answer(get({ range: "bytes=0-99", "if-none-match": ETAG }));
  assert.equal(same.status, 304);
  assert.equal(same.body, null);
});

Deno.test("unit spanResponse: a ranged answer reads only the bytes asked for", async () => {
  const reads: [number, number][] = [];
  const span = {
    size: SIZE,
    read(offset: number, length: number) {
      reads.push([offset, length]);
      return Promise.resolve(body.slice(offset, offset + length));
    },
  };
  for (const whole of [true, false]) {
    reads.length = 0;
    const res = await spanResponse(get({ range: "bytes=100-149" }), span, whole, "x", ETAG, "c");
    assert.equal(res.status, 206);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), body.slice(100, 150));
    assert.deepEqual(reads, [[100, 50]]);

    reads.length = 0;
    const head = await spanResponse(get({}, "HEAD"), span, whole, "x", ETAG, "no-cache");
    assert.equal(head.headers.get("content-length"), "1000");
    assert.deepEqual(reads, []); // HEAD reads nothing
  }
});

/** A span read only through one buffer that `afterUse` treats as the next request's read. */
function lendingSpan(lent: Uint8Array, afterUse: () => void) {
  return {
    size: SIZE,
    read: () => Promise.reject(new Error("read whole through lend")),
    async lend<T>(
      offset: number,
      length: number,
      use: (bytes: Uint8Array) => T | Promise<T>,
    ) {
      lent.set(body.subarray(offset, offset + length));
      const out = await use(lent.subarray(0, length));
      afterUse();
      return out;
    },
  };
}

Deno.test("unit spanResponse: a lent buffer reused after the answer leaves its body whole", async () => {
  const lent = new Uint8Array(SIZE);
  const span = lendingSpan(lent, () => lent.fill(0)); // the next request's read
  const res = await spanResponse(get({}), span, true, "x", ETAG, "no-cache");
  assert.equal(res.status, 200);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), body);
  const part = await spanResponse(get({ range: "bytes=10-19" }), span, true, "x", ETAG, "c");
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), body.slice(10, 20));
});

Deno.test("unit spanResponse: to our own writer the lent buffer goes uncopied, held until written", async () => {
  const lent = new Uint8Array(SIZE);
  let reused = 0;
  const span = lendingSpan(lent, () => reused++);
  const req = get({ range: "bytes=10-19" });
  acceptsDirectBodies(req);
  const res = await spanResponse(req, span, true, "x", ETAG, "c");
  assert.equal(res.status, 206);
  assert.equal(res.body, null);
  assert.equal(res.headers.get("content-length"), "10");
  const direct = takeDirectBody(res)!;
  assert.equal(direct.bytes.buffer, lent.buffer); // the read buffer itself
  assert.deepEqual(direct.bytes, body.slice(10, 20));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(reused, 0); // not given back while the writer holds it
  direct.done!();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(reused, 1);
  assert.equal(takeDirectBody(res), undefined); // taken once
});
