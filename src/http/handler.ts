/** The HTTP face of the stores: Request -> Response, web-standard types only. */
import { findNode } from "../model/tree.ts";
import { UnavailableError } from "../model/types.ts";
import { VersionChangedError } from "../sources/bytes/version.ts";
import type { Store } from "../zarr/store.ts";
import {
  type Catalog,
  type Entry,
  findEntry,
  fixedCatalog,
  fixedEntry,
  V2_PREFIX,
} from "./catalog.ts";
import { type ClientView, clientView } from "./clients.ts";
import { requestKind } from "./request_kind.ts";
import { styleTag } from "../zarr/style.ts";
import { kerchunkRefs, NoReferencesError } from "../zarr/refs.ts";
import { type Access, bearerToken, isGuarded, mayRead, OPEN, unauthorized } from "./access.ts";
import { datasetsListing, groupListing, wantsHtml } from "./listing.ts";
import { groupPage, indexPage } from "./pages/dataset_page.ts";
import { ASSET_PREFIX } from "./pages/html.ts";
import { assetResponse, lookResponse, pageResponse } from "./pages/routes.ts";
import { variablePage } from "./pages/variable_page.ts";
import {
  bodyResponse,
  CORS_HEADERS,
  errorResponse,
  fnv1a,
  matchesEtag,
  preflight,
  spanResponse,
} from "./respond.ts";

/** The prefix of a store's Zarr v2-only URL: `/v2/NAME/`. */

/** The key of a store's kerchunk references (at its root). */
const REFS_KEY = "refs.json";

/** Says how a chunk's bytes were made (`ChunkOrigin`): for logs, metrics and curious clients. */
export const CHUNK_ORIGIN_HEADER = "x-zarrflask-chunk";

/** A request handler, as `Deno.serve` takes it. */
export type Handler = (req: Request) => Promise<Response>;

// Metadata always revalidates (its ETag follows the file's version). Chunks of files that can
// change revalidate too; chunks of fixed datasets keep an hour; of immutable ones, a year.
const META_CACHE = "no-cache";
const LIVE_CHUNK_CACHE = "no-cache";
const FIXED_CHUNK_CACHE = "public, max-age=3600";
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/** Options of the store handler. */
export interface HandlerOptions {
  /** The tokens that guard datasets (default: open to everyone). */
  access?: Access;
}

/** Serves every store of `catalog` (or a list of stores) under `/{name}/`, with listings. */
export function createHandler(
  catalog: Catalog | Iterable<Store>,
  options: HandlerOptions = {},
): Handler {
  const cat = "entries" in catalog ? catalog : fixedCatalog([...catalog].map((s) => fixedEntry(s)));
  const access = options.access ?? OPEN;
  return async (req) => {
    try {
      return await handle(req, cat, access);
    } catch (e) {
      const head = req.method === "HEAD";
      if (e instanceof UnavailableError) return unavailable(e, head);
      console.error(`error serving ${req.url}:`, e);
      return errorResponse(500, `internal error: ${(e as Error).message}`, head);
    }
  };
}

function unavailable(e: UnavailableError, head: boolean): Response {
  const res = errorResponse(e.status, e.message, head);
  if (e.retryAfter !== undefined) res.headers.set("retry-after", String(e.retryAfter));
  return res;
}

async function handle(req: Request, catalog: Catalog, access: Access): Promise<Response> {
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
  const entries = await catalog.entries();
  const token = bearerToken(req);
  if (path === "/" || path === "") {
    // Only what the caller may read is listed.
    const shown = [...entries.values()].filter((e) =>
      e.present() && mayRead(access, e.name, token)
    );
    if (wantsHtml(req)) {
      const items = shown.map((e) => ({ name: e.name, source: e.source, warnings: e.warnings() }));
      return pageResponse(req, indexPage(items, url.origin));
    }
    const { body, contentType } = datasetsListing(shown, url.origin);
    return listingResponse(req, body, contentType);
  }
  // `/v2/NAME/` is the same store with Zarr v2 documents only, for clients that need `.zgroup`
  // where zarr-python 3 reads `zarr.json` (zarr-python 2 unconsolidated, zarr_format=2).
  let formats: "v2" | undefined;
  if (path.startsWith(V2_PREFIX)) {
    path = path.slice(V2_PREFIX.length - 1);
    formats = "v2";
  }
  // The pages' own files and quick-looks live under a prefix no dataset may take.
  let look = false;
  if (path.startsWith(ASSET_PREFIX)) {
    const rest = path.slice(ASSET_PREFIX.length);
    if (!rest.startsWith("look/")) {
      return assetResponse(req, rest) ?? errorResponse(404, `no page file "${rest}"`, head);
    }
    path = `/${rest.slice("look/".length)}`;
    look = true;
  }
  const found = findEntry(entries, path.slice(1));
  if (!found) return errorResponse(404, `no dataset at "${path}"`, head);
  if (!mayRead(access, found.entry.name, token)) return unauthorized(token !== null, head);
  const client = clientView(req.headers.get("user-agent"), formats);
  const mount = formats ? `${V2_PREFIX}${found.entry.name}` : `/${found.entry.name}`;
  for (let attempt = 1;; attempt++) {
    const { store, release } = await found.entry.open(client.view);
    try {
      const res = look
        ? await lookResponse(req, store, found.key.replace(/\/+$/, ""))
        : await storeResponse(req, found.entry, store, found.key, client, mount);
      return finish(res, found.entry, access, path);
    } catch (e) {
      // Files rewritten in place (or re-uploaded) under the read: the request starts again on
      // the new version, which the next open checks for; a file still half-written stays a 503.
      if (!(e instanceof VersionChangedError) || attempt >= CHANGED_TRIES) throw e;
      found.entry.changed(store);
    } finally {
      release();
    }
  }
}

/** Tries of one request whose files change under it. */
const CHANGED_TRIES = 3;

/** Headers every store answer gets: private when guarded, Vary when the answer varies. */
function finish(res: Response, entry: Entry, access: Access, path: string): Response {
  // A shared cache must not keep what a token opened: only the client may.
  const cc = res.headers.get("cache-control");
  if (cc?.startsWith("public") && isGuarded(access, entry.name)) {
    res.headers.set("cache-control", cc.replace("public", "private"));
  }
  // Documents differ by client (formats, NaN); chunks only when the codecs do.
  if (entry.varies || requestKind(path) !== "chunk") {
    res.headers.append("vary", "User-Agent");
  }
  return res;
}

async function storeResponse(
  req: Request,
  entry: Entry,
  store: Store,
  key: string,
  client: ClientView,
  mount: string,
): Promise<Response> {
  const head = req.method === "HEAD";
  const style = client.style;
  const name = store.dataset.name;
  // A group path, with or without its slash, is a listing: fsspec's HTTP
  // filesystem lists a directory by reading the links on that page.
  const group = key.replace(/\/+$/, "");
  const node = findNode(store.dataset.root, group);
  // A browser gets a page for people at every group and variable path.
  if (wantsHtml(req) && node) {
    const origin = new URL(req.url).origin;
    return pageResponse(
      req,
      node.kind === "group"
        ? groupPage(store, group, origin)
        : variablePage(store, group, node, origin),
    );
  }
  if (key === "" || key.endsWith("/") || node?.kind === "group") {
    if (node?.kind !== "group") {
      return errorResponse(404, `no group "${group}" in "${name}"`, head);
    }
    const json = (req.headers.get("accept") ?? "").includes("application/json");
    const { body, contentType } = groupListing(store, group, !json, style, mount);
    return listingResponse(req, body, contentType);
  }
  // A document's bytes depend on the client's style; a chunk's do not.
  const styled = requestKind(`/${key}`) === "chunk" ? "" : `|${styleTag(style)}`;
  const etag = `"${fnv1a(`${store.dataset.version}|${store.tag}|${key}${styled}`)}"`;
  if (key === REFS_KEY && !node) {
    try {
      const doc = new TextEncoder().encode(await kerchunkRefs(store, style.nonFinite));
      return bodyResponse(req, doc, "application/json", etag, META_CACHE);
    } catch (e) {
      if (e instanceof NoReferencesError) {
        return errorResponse(404, `refs.json: ${e.message}`, head);
      }
      throw e;
    }
  }
  const chunkCache = entry.immutable
    ? IMMUTABLE_CACHE
    : entry.live
    ? LIVE_CHUNK_CACHE
    : FIXED_CHUNK_CACHE;
  // A client revalidating what it has gets its 304 without the chunk being read or encoded.
  if (matchesEtag(req.headers.get("if-none-match"), etag) && store.exists(key, style)) {
    return new Response(null, {
      status: 304,
      headers: { ...CORS_HEADERS, etag, "cache-control": chunkCache },
    });
  }
  const result = await store.get(key, style);
  if (result.kind === "error") return errorResponse(result.status, result.message, head);
  if (result.kind === "stream") {
    const res = spanResponse(req, result.span, "application/octet-stream", etag, chunkCache);
    res.headers.set(CHUNK_ORIGIN_HEADER, "stored");
    return res;
  }
  if (result.kind === "json") {
    const cache = entry.immutable ? IMMUTABLE_CACHE : META_CACHE;
    return bodyResponse(req, result.body, "application/json", etag, cache);
  }
  const res = bodyResponse(req, result.body, "application/octet-stream", etag, chunkCache);
  res.headers.set(CHUNK_ORIGIN_HEADER, result.origin);
  return res;
}

function listingResponse(req: Request, body: string, contentType: string): Response {
  const bytes = new TextEncoder().encode(body);
  const res = bodyResponse(req, bytes, contentType, `"${fnv1a(body)}"`, "no-cache");
  res.headers.set("vary", "Accept"); // a browser asking the same URL gets a page
  return res;
}
