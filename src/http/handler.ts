/**
 * The HTTP face of the stores: Request -> Response, web-standard types only. A small route
 * table, inside the wrappers every answer passes through (CORS, operations, errors, HEAD).
 */
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
import { clientView } from "./clients.ts";
import { type Access, bearerToken, isGuarded, mayRead, OPEN, unauthorized } from "./access.ts";
import { datasetsListing, wantsHtml } from "./listing.ts";
import { indexPage } from "./pages/dataset_page.ts";
import { ASSET_PREFIX } from "./pages/html.ts";
import { assetResponse, lookResponse, pageResponse } from "./pages/routes.ts";
import { compose, type Handler, type Middleware } from "./compose.ts";
import { answerErrors, cors, getOrHead } from "./middleware.ts";
import { HttpError } from "./http_error.ts";
import { operations, type OperationsOptions } from "./operations.ts";
import { listingResponse, storeAnswer } from "./store_answer.ts";
import { PYRAMID_PREFIX, pyramidStore } from "./pyramids.ts";

export type { Handler };
export { CHUNK_ORIGIN_HEADER } from "./store_answer.ts";

/** Options of the store handler. */
export interface HandlerOptions {
  /** The tokens that guard datasets (default: open to everyone). */
  access?: Access;
  /** `/health`, `/metrics` and request logs (default: none). */
  operations?: OperationsOptions;
}

/** Serves every store of `catalog` (or a list of stores) under `/{name}/`, with listings. */
export function createHandler(
  catalog: Catalog | Iterable<Store>,
  options: HandlerOptions = {},
): Handler {
  // (an array has an `entries` method too: tell them apart by iteration)
  const cat = Symbol.iterator in catalog
    ? fixedCatalog([...catalog].map((s) => fixedEntry(s)))
    : catalog;
  const access = options.access ?? OPEN;
  const layers: Middleware[] = [
    cors,
    ...(options.operations ? [operations(options.operations)] : []),
    answerErrors,
    getOrHead,
  ];
  return compose(layers, routes(cat, access));
}

/** A path's handler: the first route whose prefix the path starts with. */
interface Route {
  prefix: string;
  /** `rest` is the path after the prefix. */
  handle(req: Request, rest: string): Promise<Response>;
}

function routes(catalog: Catalog, access: Access): Handler {
  const table: Route[] = [
    // The pages' own files and quick-looks live under a prefix no dataset may take.
    {
      prefix: `${ASSET_PREFIX}look${PYRAMID_PREFIX}`,
      handle: (req, rest) => dataset(req, `/${rest}`, "look", true),
    },
    { prefix: `${ASSET_PREFIX}look/`, handle: (req, rest) => dataset(req, `/${rest}`, "look") },
    {
      prefix: ASSET_PREFIX,
      handle: (req, rest) => {
        const res = assetResponse(req, rest);
        if (!res) throw new HttpError(404, `no page file "${rest}"`);
        return Promise.resolve(res);
      },
    },
    // `/v2/NAME/` is the same store with Zarr v2 documents only, for clients that need
    // `.zgroup` where zarr-python 3 reads `zarr.json` (zarr-python 2 unconsolidated,
    // zarr_format=2).
    { prefix: V2_PREFIX, handle: (req, rest) => dataset(req, `/${rest}`, "v2") },
    // `/pyramid/NAME/` is the dataset at every zoom level, made on request.
    { prefix: PYRAMID_PREFIX, handle: (req, rest) => dataset(req, `/${rest}`, undefined, true) },
    { prefix: "/", handle: (req, rest) => rest ? dataset(req, `/${rest}`) : index(req) },
  ];

  async function index(req: Request): Promise<Response> {
    const origin = new URL(req.url).origin;
    const token = bearerToken(req);
    // Only what the caller may read is listed.
    const shown = [...(await catalog.entries()).values()].filter((e) =>
      e.present() && mayRead(access, e.name, token)
    );
    if (wantsHtml(req)) {
      const items = shown.map((e) => ({
        name: e.name,
        source: e.source,
        warnings: e.warnings(),
        pyramid: e.hasPyramid() === true,
      }));
      return pageResponse(req, indexPage(items, origin));
    }
    const { body, contentType } = datasetsListing(shown, origin);
    return listingResponse(req, body, contentType);
  }

  async function dataset(
    req: Request,
    path: string,
    as?: "v2" | "look",
    pyramid = false,
  ): Promise<Response> {
    const found = findEntry(await catalog.entries(), path.slice(1));
    if (!found) throw new HttpError(404, `no dataset at "${path}"`);
    const token = bearerToken(req);
    if (!mayRead(access, found.entry.name, token)) throw unauthorized(token !== null);
    const client = clientView(req.headers.get("user-agent"), as === "v2" ? "v2" : undefined);
    const prefix = as === "v2" ? V2_PREFIX : pyramid ? PYRAMID_PREFIX : "/";
    const mount = `${prefix}${found.entry.name}`;
    for (let attempt = 1;; attempt++) {
      const { store: opened, release } = await found.entry.open(client.view);
      try {
        const store = pyramid ? pyramidStore(opened) : opened;
        if (!store) {
          throw new HttpError(404, `"${found.entry.name}" has no pyramid: no 2-D horizontal grid`);
        }
        const res = as === "look"
          ? await lookResponse(req, store, found.key.replace(/\/+$/, ""), pyramid)
          : await storeAnswer(req, found.entry, store, found.key, client, mount);
        return finish(res, found.entry, access);
      } catch (e) {
        // Files rewritten in place (or re-uploaded) under the read: the request starts again
        // on the new version, which the next open checks for; a file still half-written
        // stays a 503.
        if (!(e instanceof VersionChangedError) || attempt >= CHANGED_TRIES) throw e;
        found.entry.changed(opened);
      } finally {
        release();
      }
    }
  }

  return (req) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url).pathname);
    } catch {
      throw new HttpError(400, "malformed URL encoding");
    }
    const route = table.find((r) => path.startsWith(r.prefix))!;
    return route.handle(req, path.slice(route.prefix.length));
  };
}

/** Tries of one request whose files change under it. */
const CHANGED_TRIES = 3;

/** Headers a dataset's answers get: private when guarded, Vary when the view varies. */
function finish(res: Response, entry: Entry, access: Access): Response {
  // A shared cache must not keep what a token opened: only the client may.
  const cc = res.headers.get("cache-control");
  if (cc?.startsWith("public") && isGuarded(access, entry.name)) {
    res.headers.set("cache-control", cc.replace("public", "private"));
  }
  // Chunks differ by client when the codecs do (documents always: store_answer.ts says so).
  if (entry.varies && !/user-agent/i.test(res.headers.get("vary") ?? "")) {
    res.headers.append("vary", "User-Agent");
  }
  return res;
}
