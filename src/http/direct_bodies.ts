/**
 * Bodies sent without a copy. A `Response` copies a buffer body as it is made; the server's own
 * HTTP/1.1 writer (wire/) can instead write a buffer it is handed, and say when it is done with
 * it. A request the writer made is marked here; answers to it may carry their body beside the
 * `Response` (which then has none), and anyone else gets ordinary bodies.
 */

/** A body handed to the writer, and what to call once it is written (or dropped). */
export class DirectBody {
  constructor(
    readonly bytes: Uint8Array,
    /** Called once, after the last byte is written or the connection failed. */
    readonly done?: () => void,
  ) {}
}

const writers = new WeakSet<Request>();
const bodies = new WeakMap<Response, DirectBody>();

/** Marks `req` as made by a writer that takes direct bodies. */
export function acceptsDirectBodies(req: Request): void {
  writers.add(req);
}

/** Whether answers to `req` may carry a direct body. */
export function takesDirectBody(req: Request): boolean {
  return writers.has(req);
}

/** `res` (made with a null body) carrying `body` beside it; returns `res`. */
export function withDirectBody(res: Response, body: DirectBody): Response {
  bodies.set(res, body);
  return res;
}

/** The direct body `res` carries, taken off it (so it is written once). */
export function takeDirectBody(res: Response): DirectBody | undefined {
  const body = bodies.get(res);
  if (body) bodies.delete(res);
  return body;
}
