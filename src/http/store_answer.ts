/** One key of one store as an HTTP answer: documents, chunks, listings, pages, references. */
import type { Store } from "../zarr/store.ts";
import { kerchunkRefs, NoReferencesError } from "../zarr/refs.ts";
import { styleTag } from "../zarr/style.ts";
import type { BadKey, StoreKey } from "../zarr/keys.ts";
import type { Entry } from "./catalog.ts";
import type { ClientView } from "./clients.ts";
import { HttpError } from "./http_error.ts";
import { groupListing, wantsHtml } from "./listing.ts";
import { groupPage } from "./pages/dataset_page.ts";
import { pageResponse } from "./pages/routes.ts";
import { variablePage } from "./pages/variable_page.ts";
import { bodyResponse, bytesResponse, fnv1a, notModified, spanResponse } from "./respond.ts";

/** Says how a chunk's bytes were made (`ChunkOrigin`): for logs, metrics and curious clients. */
export const CHUNK_ORIGIN_HEADER = "x-zarrflask-chunk";

/** The key of a store's kerchunk references (at its root). */
const REFS_KEY = "refs.json";

// Metadata always revalidates (its ETag follows the file's version). Chunks of files that can
// change revalidate too; chunks of fixed datasets keep an hour; of immutable ones, a year.
const META_CACHE = "no-cache";
const LIVE_CHUNK_CACHE = "no-cache";
const FIXED_CHUNK_CACHE = "public, max-age=3600";
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/** The status of a key that names nothing: the one place the store's answers get one. */
function keyError(k: BadKey): HttpError {
  return new HttpError(k.kind === "invalid" ? 400 : 404, k.message);
}

/**
 * The answer for `key` of `store`, as the client `client` sees it at `mount`. Everything but a
 * chunk (documents, listings, pages, refs.json) differs by client: it varies by User-Agent, as
 * the key says, not the path's look (a group may be named `2020` or `c`).
 */
export async function storeAnswer(
  req: Request,
  entry: Entry,
  store: Store,
  key: string,
  client: ClientView,
  mount: string,
): Promise<Response> {
  const k = store.resolve(key); // parsed once a request, its node found once
  const res = await answerKey(req, entry, store, key, k, client, mount);
  if (k.kind !== "chunk") res.headers.append("vary", "User-Agent");
  return res;
}

async function answerKey(
  req: Request,
  entry: Entry,
  store: Store,
  key: string,
  k: StoreKey,
  client: ClientView,
  mount: string,
): Promise<Response> {
  const style = client.style;
  if (k.kind === "node") {
    // A browser gets a page for people at every group and variable path; fsspec's HTTP
    // filesystem lists a directory by reading the links of a group's page.
    if (wantsHtml(req)) {
      const origin = new URL(req.url).origin;
      return pageResponse(
        req,
        k.node.kind === "group"
          ? groupPage(store, k.path, origin, mount)
          : variablePage(store, k.path, k.node, origin, mount),
      );
    }
    if (k.node.kind === "array") throw new HttpError(404, `no key "${key}" (an array)`);
    const json = (req.headers.get("accept") ?? "").includes("application/json");
    const { body, contentType } = groupListing(store, k.path, !json, style, mount);
    return listingResponse(req, body, contentType);
  }
  // A document's bytes depend on the client's style; a chunk's do not.
  const styled = k.kind === "chunk" ? "" : `|${styleTag(style)}`;
  const etag = `"${fnv1a(`${store.dataset.version}|${store.tag}|${key}${styled}`)}"`;
  if (key === REFS_KEY) return await refsAnswer(req, store, client, etag);
  if (k.kind === "invalid" || k.kind === "absent") throw keyError(k);
  const chunkCache = entry.immutable
    ? IMMUTABLE_CACHE
    : entry.live
    ? LIVE_CHUNK_CACHE
    : FIXED_CHUNK_CACHE;
  const cache = k.kind === "chunk" ? chunkCache : entry.immutable ? IMMUTABLE_CACHE : META_CACHE;
  // A client revalidating what it has gets its 304 without the chunk being read or encoded.
  const unchanged = store.has(k, style) && notModified(req, etag, cache);
  if (unchanged) return unchanged;
  const result = await store.answer(k, style);
  switch (result.kind) {
    case "invalid":
    case "absent":
      throw keyError(result);
    case "node":
      throw new HttpError(404, `no key "${key}"`);
    case "stored": {
      const type = "application/octet-stream";
      const res = await spanResponse(req, result.span, result.whole, type, etag, cache);
      res.headers.set(CHUNK_ORIGIN_HEADER, "stored");
      return res;
    }
    case "json":
      return bytesResponse(req, result.body, "application/json", etag, cache);
    case "chunk": {
      const res = bytesResponse(req, result.body, "application/octet-stream", etag, cache);
      res.headers.set(CHUNK_ORIGIN_HEADER, result.origin);
      return res;
    }
  }
}

async function refsAnswer(
  req: Request,
  store: Store,
  client: ClientView,
  etag: string,
): Promise<Response> {
  try {
    const doc = new TextEncoder().encode(await kerchunkRefs(store, client.style.nonFinite));
    return bodyResponse(req, doc, "application/json", etag, META_CACHE);
  } catch (e) {
    if (e instanceof NoReferencesError) throw new HttpError(404, `refs.json: ${e.message}`);
    throw e;
  }
}

/** A listing (JSON, or HTML that links each key). */
export function listingResponse(req: Request, body: string, contentType: string): Response {
  const bytes = new TextEncoder().encode(body);
  const res = bodyResponse(req, bytes, contentType, `"${fnv1a(body)}"`, "no-cache");
  res.headers.set("vary", "Accept"); // a browser asking the same URL gets a page
  return res;
}
