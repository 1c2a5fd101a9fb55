/** HTTP semantics for store responses: CORS, ETag/304, Range/206, HEAD. */
import type { StoredSpan } from "../model/types.ts";

/** Headers every response carries so browsers on any origin can read the store. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "ETag, Content-Length, Content-Range, Accept-Ranges",
};

/** The reply to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "access-control-allow-methods": "GET, HEAD, OPTIONS",
      "access-control-allow-headers":
        "Authorization, Range, If-None-Match, If-Modified-Since, Content-Type",
      "access-control-max-age": "86400",
    },
  });
}

/** A plain-text error response. */
export function errorResponse(status: number, message: string, head = false): Response {
  const body = new TextEncoder().encode(`${message}\n`);
  return new Response(head ? null : body, {
    status,
    headers: {
      ...CORS_HEADERS,
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

/**
 * A 200/206/304/416 response for content of `size` bytes, honouring
 * If-None-Match, Range and HEAD; `bytes(start, end)` makes the body of the
 * half-open range it is asked for.
 */
function rangedResponse(
  req: Request,
  size: number,
  bytes: (start: number, end: number) => BodyInit,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  if (matchesEtag(req.headers.get("if-none-match"), etag)) {
    return new Response(null, {
      status: 304,
      headers: { ...CORS_HEADERS, etag, "cache-control": cacheControl },
    });
  }
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
  const body = req.method === "HEAD" ? null : bytes(start, end);
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** A response for `body`, honouring If-None-Match, Range and HEAD. */
export function bodyResponse(
  req: Request,
  body: Uint8Array,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  const slice = (start: number, end: number) =>
    body.subarray(start, end) as Uint8Array<ArrayBuffer>;
  return rangedResponse(req, body.length, slice, contentType, etag, cacheControl);
}

/** Bytes read from the source per step of a streamed response. */
const PIECE = 1 << 20;

/** Like `bodyResponse`, for a stored chunk streamed from its source a piece at a time. */
export function spanResponse(
  req: Request,
  span: StoredSpan,
  contentType: string,
  etag: string,
  cacheControl: string,
): Response {
  const stream = (start: number, end: number) => {
    if (span.stream) {
      // One request for the whole range, piped as it arrives (opened on the first pull).
      let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          source ??= (await span.stream!(start, end - start)).getReader();
          const { value, done } = await source.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => source?.cancel(reason),
      });
    }
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
  };
  return rangedResponse(req, span.size, stream, contentType, etag, cacheControl);
}
