/** HTTP answers of the pages for people: pages, their script and style, and quick-looks. */
import { bodyResponse, fnv1a } from "../respond.ts";
import { HttpError } from "../http_error.ts";
import type { Store } from "../../zarr/store.ts";
import { PAGE_CSP } from "./html.ts";
import { PAGE_CSS } from "./page_css.ts";
import { PAGE_JS } from "./page_js.ts";
import { LookError, quickLook } from "./quicklook.ts";
import { TooLargeError } from "./slice.ts";

const encoder = new TextEncoder();

const ASSETS: Record<string, { body: Uint8Array; type: string; etag: string }> = {};
for (
  const [name, text, type] of [
    ["page.js", PAGE_JS, "text/javascript; charset=utf-8"],
    ["page.css", PAGE_CSS, "text/css; charset=utf-8"],
  ]
) ASSETS[name] = { body: encoder.encode(text), type, etag: `"${fnv1a(text)}"` };

/** The answer for `/_zarrflask/{name}` when it names a page asset, else undefined. */
export function assetResponse(req: Request, name: string): Response | undefined {
  const a = ASSETS[name];
  // Revalidated on every load: a new release must not run with an old script.
  return a && bodyResponse(req, a.body, a.type, a.etag, "no-cache");
}

/** A page for people (HTML, under the page security policy; it depends on `Accept`). */
export function pageResponse(req: Request, html: string): Response {
  const res = bodyResponse(
    req,
    encoder.encode(html),
    "text/html; charset=utf-8",
    `"${fnv1a(html)}"`,
    "no-cache",
  );
  res.headers.set("content-security-policy", PAGE_CSP);
  res.headers.set("x-content-type-options", "nosniff");
  res.headers.set("vary", "Accept");
  return res;
}

/** The quick-look of variable `path` in `store`: JSON, or with `format=png` the picture. */
export async function lookResponse(
  req: Request,
  store: Store,
  path: string,
  pyramid = false,
): Promise<Response> {
  const url = new URL(req.url);
  const indices = (name: string, n?: number) => {
    const text = url.searchParams.get(name) ?? "";
    const v = text === "" ? [] : text.split(",").map(Number);
    if (v.some((i) => !Number.isInteger(i) || i < 0) || (n !== undefined && v.length !== n)) {
      throw new HttpError(400, `bad "${name}": "${text}" (${n ?? ""} indices, comma-separated)`);
    }
    return v;
  };
  const at = indices("at");
  const win = url.searchParams.has("win") ? indices("win", 4) : undefined;
  try {
    const base = pyramid ? "/_zarrflask/look/pyramid" : "/_zarrflask/look";
    const look = await quickLook(store, path, at, { base, window: win });
    const etag = `"${fnv1a(`${store.dataset.version}|${store.tag}|${path}|${at}|${win}`)}"`;
    if (url.searchParams.get("format") === "png") {
      if (!look.png) throw new HttpError(400, `"${path}" is drawn as a line, not a picture`);
      return bodyResponse(req, look.png, "image/png", `${etag.slice(0, -1)}p"`, "no-cache");
    }
    return bodyResponse(
      req,
      encoder.encode(JSON.stringify(look.json)),
      "application/json",
      etag,
      "no-cache",
    );
  } catch (e) {
    if (e instanceof LookError) throw new HttpError(e.status, e.message);
    if (e instanceof TooLargeError) throw new HttpError(413, e.message);
    throw e;
  }
}
