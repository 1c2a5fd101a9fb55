/** HTTP semantics for bodies: ETag/304, Range/206, HEAD (errors are middleware). */
import { CORS_HEADERS } from "./cors.ts";
import type { StoredSpan } from "../model/types.ts";
import { DirectBody, takesDirectBody, withDirectBody } from "./direct_bodies.ts";

/** A plain-text error response (the body of one line). */
export function errorResponse(status: number, message: string): Response {
  const body = new TextEncoder().encode(`${message}\n`);
  return new Response(body, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(body.length),
      "cache-control": "no-store",
    },
  });
}

/** FNV-1a, 64-bit, as hex: a cheap stable hash for ETags (in 16-bit limbs, no BigInt). */
export function fnv1a(text: string): string {
  // h starts at 0xcbf29ce484222325; the prime 0x100000001b3 has limbs 0x01b3 (0) and 0x0100 (2).
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    const c0 = h0 * 0x1b3;
    const c1 = h1 * 0x1b3 + (c0 >>> 16);
    const c2 = h2 * 0x1b3 + h0 * 0x100 + (c1 >>> 16);
    const c3 = h3 * 0x1b3 + h1 * 0x100 + (c2 >>> 16);
    h0 = c0 & 0xffff;
    h1 = c1 & 0xffff;
    h2 = c2 & 0xffff;
    h3 = c3 & 0xffff;
  }
  const hex = (x: number) => x.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** Whether an If-None-Match header matches `etag` (strong comparison, or `*`). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag === etag || tag === `W/${etag}`;
  });
}

/** A parsed single byte range, or "unsatisfiable"; null when absent or not understood. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header);
  if (!m || (m[1] === "" && m[2] === "")) return null; // multi-range or junk: send it all
  let start: number, end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return null;
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

/** The 304 for a client that holds `etag` already, else null: checked once a request. */
export function notModified(req: Request, etag: string, cacheControl: string): Response | null {
  if (!matchesEtag(req.headers.get("if-none-match"), etag)) return null;
  return new Response(null, { status: 304, headers: { etag, "cache-control": cacheControl } });
}

/**
 * A 200/206/416 response for content of `size` bytes, honouring Range; `bytes(start, end)`
 * makes the body of the half-open range asked for (not at all for a HEAD). A buffer body goes
 * beside the Response, uncopied, to a server that writes such bodies itself.
 */
export function rangedResponse(
  req: Request,
  size: number,
  bytes: (start: number, end: number) => BodyInit | DirectBody | null,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    "content-type": contentType,
    etag,
    "cache-control": cacheControl,
    "accept-ranges": "bytes",
  };
  const range = parseRange(req.headers.get("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, {
      status: 416,
      headers: { ...headers, "content-range": `bytes */${size}`, "content-length": "0" },
    });
  }
  const start = range ? range.start : 0;
  const end = range ? range.end + 1 : size;
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
  headers["content-length"] = String(end - start);
  // A HEAD makes no body: a stored chunk is then not even opened.
  const body = req.method === "HEAD" ? null : bytes(start, end);
  const status = range ? 206 : 200;
  if (body instanceof DirectBody) {
    return withDirectBody(new Response(null, { status, headers }), body);
  }
  if (body instanceof Uint8Array && takesDirectBody(req)) {
    return withDirectBody(new Response(null, { status, headers }), new DirectBody(body));
  }
  return new Response(body, { status, headers });
}

/** `body` as a ranged answer, after the one If-None-Match check its caller made. */
export function bytesResponse(
  req: Request,
  body: Uint8Array,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  // Our own writer sends the buffer as it is; in a Response Deno copies it as the Response is
  // made, which is still cheaper than a stream of the same bytes (0.44 against 0.54 CPU-s per GB
  // of cached chunks through Deno.serve, bench/scaling.ts).
  const slice = (start: number, end: number) =>
    body.subarray(start, end) as Uint8Array<ArrayBuffer>;
  return rangedResponse(req, body.length, slice, contentType, etag, cacheControl);
}

/** A response for `body`, honouring If-None-Match, Range and HEAD. */
export function bodyResponse(
  req: Request,
  body: Uint8Array,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  return notModified(req, etag, cacheControl) ??
    bytesResponse(req, body, contentType, etag, cacheControl);
}

/**
 * A stored chunk's answer. A remote one is its one range request's body; a local one is read
 * whole into a lent buffer, checked against the file's version, and written from that buffer by
 * our own writer (or copied by the Response as it is made, for anyone else), or, when not
 * `whole`, streamed a piece at a time.
 */
export async function spanResponse(
  req: Request,
  span: StoredSpan,
  whole: boolean,
  contentType: string,
  etag: string,
  cacheControl: string,
): Promise<Response> {
  const answer = (body: (start: number, end: number) => BodyInit | DirectBody | null) =>
    rangedResponse(req, span.size, body, contentType, etag, cacheControl);
  const range = parseRange(req.headers.get("range"), span.size);
  if (req.method === "HEAD" || range === "unsatisfiable") return answer(() => null);
  const start = range ? range.start : 0;
  const end = range ? range.end + 1 : span.size;
  const direct = takesDirectBody(req);
  if (span.stream && !(direct && whole && span.lend)) {
    // Opened before the answer: a file replaced upstream (412) is retried, not a cut body.
    // Deno.serve pipes such a body without JavaScript; our own writer reads it whole instead.
    const body = await span.stream(start, end - start);
    return answer(() => body);
  }
  if (!whole) return answer(() => piecesOf(span, start, end));
  const respond = (bytes: Uint8Array) => answer(() => bytes as Uint8Array<ArrayBuffer>);
  if (!span.lend) return respond(await span.read(start, end - start));
  if (!direct) return await span.lend(start, end - start, respond);
  // The buffer stays lent until the writer is done with it; the Response is answered before.
  const lend = span.lend.bind(span);
  return await new Promise<Response>((resolve, reject) => {
    lend(
      start,
      end - start,
      (bytes) => new Promise<void>((done) => resolve(answer(() => new DirectBody(bytes, done)))),
    )
      .catch(reject);
  });
}

/** Bytes read from the source per step of a streamed response. */
const PIECE = 1 << 20;

/** `start`..`end` of a local stored chunk as a stream, read a piece at a time as Deno pulls. */
function piecesOf(span: StoredSpan, start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= end) return controller.close();
      const n = Math.min(PIECE, end - at);
      const piece = await span.read(at, n);
      at += n;
      controller.enqueue(piece);
    },
  }, { highWaterMark: 2 });
}
