/** The wrappers every answer passes through: CORS, errors, and GET/HEAD. */
import type { Middleware } from "./compose.ts";
import { errorAnswer, HttpError } from "./http_error.ts";
import { CORS_HEADERS } from "./cors.ts";

export { CORS_HEADERS };

const PREFLIGHT: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers":
    "Authorization, Range, If-None-Match, If-Modified-Since, Content-Type",
  "access-control-max-age": "86400",
};

/** CORS on every answer (errors, `/metrics` and `/health` too); preflights answered here. */
export const cors: Middleware = async (req, next) => {
  if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: PREFLIGHT });
  const res = await next(req);
  // Bodies built by respond.ts carry them already: one lookup instead of two header writes.
  if (!res.headers.has("access-control-allow-origin")) {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
  }
  return res;
};

/** Whatever is thrown below becomes its one-line answer. */
export const answerErrors: Middleware = async (req, next) => {
  try {
    return await next(req);
  } catch (e) {
    return errorAnswer(e, req);
  }
};

/** GET and HEAD only; a HEAD is answered as its GET, without the body. */
export const getOrHead: Middleware = async (req, next) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, "only GET and HEAD", { allow: "GET, HEAD, OPTIONS" });
  }
  const res = await next(req);
  if (req.method !== "HEAD" || res.body === null) return res;
  await res.body.cancel();
  return new Response(null, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
};
