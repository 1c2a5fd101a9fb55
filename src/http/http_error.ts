/** Answers other than success: thrown anywhere a request is handled, given a status once. */
import { UnavailableError } from "../model/types.ts";
import { errorResponse } from "./respond.ts";

/** An answer with `status` and a one-line `message` (and any headers it needs). */
export class HttpError extends Error {
  override name = "HttpError";
  /** An error answered with `status`. */
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The one place errors become answers: HTTP errors, sources unavailable, and the rest (500). */
export function errorAnswer(e: unknown, req: Request): Response {
  if (e instanceof HttpError) {
    const res = errorResponse(e.status, e.message);
    for (const [k, v] of Object.entries(e.headers)) res.headers.set(k, v);
    return res;
  }
  if (e instanceof UnavailableError) {
    const res = errorResponse(e.status, e.message);
    if (e.retryAfter !== undefined) res.headers.set("retry-after", String(e.retryAfter));
    return res;
  }
  console.error(`error serving ${req.url}:`, e);
  return errorResponse(500, `internal error: ${(e as Error).message}`);
}
