/**
 * What an operator needs around the store handler: `/health` for load balancers, `/metrics`
 * for Prometheus, and one log line per request. It wraps the handler and reads only the
 * request and the response.
 */
import { CHUNK_ORIGIN_HEADER } from "./store_answer.ts";
import type { Handler, Middleware } from "./compose.ts";
import type { Catalog } from "./catalog.ts";
import type { Metrics } from "./metrics.ts";
import { requestKind } from "./request_kind.ts";
import { strictJson } from "../zarr/json.ts";

/** A dataset that could not be opened, by name, with the one-line reason. */
export interface Failure {
  /** The dataset's name. */
  name: string;
  /** Why it is not served. */
  reason: string;
}

/** What the wrapper adds. */
export interface OperationsOptions {
  /** What `/health` counts. */
  catalog: Catalog;
  /** Datasets that failed to open at start-up (named in `/health`). */
  failures?: readonly Failure[];
  /** The registry `/metrics` renders; absent: no `/metrics`. */
  metrics?: Metrics;
  /** Writes one line per request when given (for `--log`). */
  log?: (line: string) => void;
}

function json(body: unknown, status = 200): Response {
  return new Response(strictJson(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

/** `/health`: datasets served and failing; reads no data (only whether live files are there). */
async function health(options: OperationsOptions): Promise<Response> {
  const entries = [...(await options.catalog.entries()).values()];
  const gone = entries.filter((e) => !e.present()).map((e) => ({
    name: e.name,
    reason: "its file is gone",
  }));
  const failing = [...(options.failures ?? []), ...gone];
  return json({
    status: failing.length ? "degraded" : "ok",
    datasets: entries.length - gone.length,
    failing: failing.length,
    failures: failing,
  });
}

/** `/health`, `/metrics` and one log line per request, around the rest of the handling. */
export function operations(options: OperationsOptions): Middleware {
  return async (req, handler) => {
    const t0 = performance.now();
    const path = new URL(req.url).pathname;
    const kind = requestKind(path);
    let res: Response;
    if (kind === "health" && (req.method === "GET" || req.method === "HEAD")) {
      res = await health(options);
    } else if (kind === "metrics" && options.metrics && req.method === "GET") {
      res = new Response(options.metrics.render(), {
        headers: {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
          "cache-control": "no-store",
        },
      });
    } else res = await handler(req);
    const seconds = (performance.now() - t0) / 1000;
    const bytes = req.method === "HEAD" ? 0 : Number(res.headers.get("content-length") ?? 0);
    const origin = res.headers.get(CHUNK_ORIGIN_HEADER) ?? undefined;
    options.metrics?.observe({ kind, status: res.status, bytes, seconds, origin });
    if (options.log) {
      const cache = origin === "cached"
        ? "hit"
        : origin === "transcoded" || origin === "encoded"
        ? "miss"
        : "-";
      options.log(
        `${new Date().toISOString()} ${req.method} ${path} ${res.status} ${bytes} ` +
          `${(seconds * 1000).toFixed(1)}ms kind=${kind} chunk=${origin ?? "-"} cache=${cache}`,
      );
    }
    return res;
  };
}

/** `handler` with `/health`, `/metrics` and request logging around it. */
export function withOperations(handler: Handler, options: OperationsOptions): Handler {
  const layer = operations(options);
  return (req) => layer(req, handler);
}
