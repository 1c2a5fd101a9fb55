/**
 * One HTTP/1.1 connection: request heads read in turn (pipelined ones too), each answered by the
 * handler in order, until either side closes, a request cannot be framed, or the server stops.
 */
import { acceptsDirectBodies } from "../direct_bodies.ts";
import { writeAll, writeResponse } from "./body_out.ts";
import { headEnd, MAX_HEAD, parseHead, requestUrl, WireError } from "./request_head.ts";
import { plainAnswer } from "./response_head.ts";

/** Request bodies we read and drop (we serve GET and HEAD; a body is not looked at). */
const MAX_DROPPED_BODY = 1 << 20;

/** What the server keeps of each open connection. */
export interface ConnState {
  /** When it last moved a byte, or changed phase (ms since epoch). */
  lastActive: number;
  /**
   * "idle" between requests, "head" with part of a head in, "handler" while the answer is made
   * (no time limit: a slow source is the source's to time out), "write" while it is sent.
   */
  phase: "idle" | "head" | "handler" | "write";
  /** Ends the connection now. */
  close(): void;
}

/** How a connection is served. */
export interface ConnOptions {
  handler: (req: Request) => Promise<Response>;
  scheme: "http" | "https";
  /** host:port of the listener, for requests without a Host header. */
  host: string;
  /** The server is stopping: no further request is read. */
  stopping: () => boolean;
}

/** Serves `conn` until it ends; `state` is updated as it goes. */
export async function serveConnection(
  conn: Deno.Conn,
  state: ConnState,
  options: ConnOptions,
): Promise<void> {
  let inbox = new Uint8Array(8192);
  let filled = 0;
  const sink = {
    write: (b: Uint8Array) => {
      state.lastActive = Date.now();
      return conn.write(b);
    },
  };
  for (;;) {
    let end = headEnd(inbox, filled);
    while (end < 0) {
      if (options.stopping() && filled === 0) return;
      if (filled === inbox.length) {
        if (inbox.length >= MAX_HEAD) {
          await writeAll(sink, plainAnswer(431, "request head too large"));
          return;
        }
        const bigger = new Uint8Array(inbox.length * 2);
        bigger.set(inbox);
        inbox = bigger;
      }
      state.phase = filled > 0 ? "head" : "idle";
      state.lastActive = Date.now();
      const n = await conn.read(inbox.subarray(filled));
      if (n === null) return;
      filled += n;
      end = headEnd(inbox, filled);
    }
    state.phase = "handler";
    let head;
    let req: Request;
    try {
      head = parseHead(inbox.subarray(0, end));
      const url = requestUrl(head, options.scheme, options.host);
      try {
        req = new Request(
          url,
          head.method === "GET"
            ? { headers: head.headers }
            : { method: head.method, headers: head.headers },
        );
      } catch (e) {
        throw new WireError(
          /method/i.test(String(e)) ? 405 : 400,
          `malformed request: ${(e as Error).message}`,
        );
      }
      if (head.chunked || head.contentLength > MAX_DROPPED_BODY) head.keepAlive = false;
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      await writeAll(sink, plainAnswer(e.status, e.message));
      return;
    }
    // Drop a request body (read before answering, so the next head starts where it should).
    let rest = end;
    if (!head.chunked && head.contentLength > 0 && head.keepAlive) {
      let left = head.contentLength;
      const have = Math.min(left, filled - end);
      rest += have;
      left -= have;
      const sinkhole = new Uint8Array(Math.min(left, 65536));
      while (left > 0) {
        const n = await conn.read(sinkhole.subarray(0, Math.min(left, sinkhole.length)));
        if (n === null) return;
        left -= n;
      }
    }
    inbox.copyWithin(0, Math.min(rest, filled), filled);
    filled = Math.max(0, filled - rest);
    acceptsDirectBodies(req);
    let res: Response;
    try {
      res = await options.handler(req);
    } catch (e) {
      // The handler answers its own errors; this is a bug, answered as one and the line closed.
      console.error(`zarrflask: unanswered error: ${(e as Error)?.stack ?? e}`);
      await writeAll(sink, plainAnswer(500, "internal error"));
      return;
    }
    const keepAlive = head.keepAlive && !options.stopping();
    state.phase = "write";
    state.lastActive = Date.now();
    const again = await writeResponse(sink, res, keepAlive, head.method === "HEAD", head.minor);
    state.phase = "idle";
    state.lastActive = Date.now();
    if (!again) return;
  }
}
