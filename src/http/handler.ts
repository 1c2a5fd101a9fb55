/** The HTTP face of the stores: Request -> Response, web-standard types only. */
import { findNode } from "../model/tree.ts";
import type { Store } from "../zarr/store.ts";
import { datasetsListing, groupListing, wantsHtml } from "./listing.ts";
import {
  bodyResponse,
  CORS_HEADERS,
  errorResponse,
  fnv1a,
  matchesEtag,
  preflight,
  spanResponse,
} from "./respond.ts";

/** A request handler, as `Deno.serve` takes it. */
export type Handler = (req: Request) => Promise<Response>;

const CHUNK_CACHE = "public, max-age=3600";
const META_CACHE = "public, max-age=60";

/** Serves every store under `/{dataset name}/`, with listings at `/` and each store root. */
export function createHandler(stores: Iterable<Store>): Handler {
  const byName = new Map<string, Store>();
  for (const s of stores) {
    if (byName.has(s.dataset.name)) throw new Error(`two datasets are named "${s.dataset.name}"`);
    byName.set(s.dataset.name, s);
  }
  return async (req) => {
    try {
      return await handle(req, byName);
    } catch (e) {
      console.error(`error serving ${req.url}:`, e);
      return errorResponse(500, `internal error: ${(e as Error).message}`, req.method === "HEAD");
    }
  };
}

async function handle(req: Request, stores: Map<string, Store>): Promise<Response> {
  if (req.method === "OPTIONS") return preflight();
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) return errorResponse(405, "only GET and HEAD", head);
  const url = new URL(req.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return errorResponse(400, "malformed URL encoding", head);
  }
  if (path === "/" || path === "") {
    const { body, contentType } = datasetsListing(stores.values(), url.origin, wantsHtml(req));
    return listingResponse(req, body, contentType);
  }
  const slash = path.indexOf("/", 1);
  const name = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const store = stores.get(name);
  if (!store) return errorResponse(404, `no dataset "${name}"`, head);
  const key = slash < 0 ? "" : path.slice(slash + 1);
  // A group path, with or without its slash, is a listing: fsspec's HTTP
  // filesystem lists a directory by reading the links on that page.
  const group = key.replace(/\/+$/, "");
  if (key === "" || key.endsWith("/") || findNode(store.dataset.root, group)?.kind === "group") {
    if (findNode(store.dataset.root, group)?.kind !== "group") {
      return errorResponse(404, `no group "${group}" in "${name}"`, head);
    }
    const json = (req.headers.get("accept") ?? "").includes("application/json");
    const { body, contentType } = groupListing(store, group, !json);
    return listingResponse(req, body, contentType);
  }
  const etag = `"${fnv1a(`${store.dataset.version}|${store.tag}|${key}`)}"`;
  // A client revalidating what it has gets its 304 without the chunk being read or encoded.
  if (matchesEtag(req.headers.get("if-none-match"), etag) && store.exists(key)) {
    return new Response(null, { status: 304, headers: { ...CORS_HEADERS, etag } });
  }
  const result = await store.get(key);
  if (result.kind === "error") return errorResponse(result.status, result.message, head);
  if (result.kind === "stream") {
    return spanResponse(req, result.span, "application/octet-stream", etag, CHUNK_CACHE);
  }
  return result.kind === "json"
    ? bodyResponse(req, result.body, "application/json", etag, META_CACHE)
    : bodyResponse(req, result.body, "application/octet-stream", etag, CHUNK_CACHE);
}

function listingResponse(req: Request, body: string, contentType: string): Response {
  const bytes = new TextEncoder().encode(body);
  return bodyResponse(req, bytes, contentType, `"${fnv1a(body)}"`, "no-cache");
}
