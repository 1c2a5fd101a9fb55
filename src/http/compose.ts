/**
 * Handlers made of small wrappers, as Hono composes its middleware: each concern (CORS,
 * errors, HEAD, operations) is one `Middleware` around the next handler.
 */

/** A request handler, as `Deno.serve` takes it. */
export type Handler = (req: Request) => Promise<Response>;

/** One concern around the rest of the handling. */
export type Middleware = (req: Request, next: Handler) => Promise<Response>;

/** `last` wrapped in `layers`, the first outermost. */
export function compose(layers: readonly Middleware[], last: Handler): Handler {
  return layers.reduceRight<Handler>((next, layer) => (req) => layer(req, next), last);
}
