/**
 * The server's own HTTP/1.1 over `Deno.listen` (or `Deno.listenTls`). Deno.serve copies every
 * buffer body as its `Response` is made, a third of a passed-through chunk's CPU; here a stored
 * chunk's read buffer is written to the socket as it is (direct_bodies.ts). Keep-alive,
 * pipelining, HEAD, idle and slow-client timeouts, and a graceful stop.
 */
import { type ConnState, serveConnection } from "./connection.ts";

/** How to listen. */
export interface Http1Options {
  /** Interface to bind. */
  hostname: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Share the port with other processes (SO_REUSEPORT; needs --unstable-net). */
  reusePort?: boolean;
  /** PEM certificate chain and key: HTTPS. */
  tls?: { cert: string; key: string };
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called once listening. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** A connection idle this long between requests is closed (ms; default 75 s, as nginx). */
  idleMs?: number;
  /** A request head, or a write, that makes no progress this long ends its connection (ms). */
  stallMs?: number;
}

/** A running server. */
export interface Http1Server {
  /** Where it listens. */
  readonly addr: Deno.NetAddr;
  /** Resolves once it has stopped and every connection has closed. */
  readonly finished: Promise<void>;
  /** Stops accepting, closes idle connections, and lets answers in flight finish. */
  shutdown(): Promise<void>;
}

/** Serves `handler` over HTTP/1.1 until `signal` aborts or `shutdown` is called. */
export function serveHttp1(
  options: Http1Options,
  handler: (req: Request) => Promise<Response>,
): Http1Server {
  const listener: Deno.Listener = options.tls
    ? Deno.listenTls({
      hostname: options.hostname,
      port: options.port,
      cert: options.tls.cert,
      key: options.tls.key,
      alpnProtocols: ["http/1.1"],
    })
    : Deno.listen({
      hostname: options.hostname,
      port: options.port,
      ...(options.reusePort ? { reusePort: true } : {}),
    } as Deno.TcpListenOptions);
  const addr = listener.addr as Deno.NetAddr;
  const host = addr.hostname.includes(":")
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
  const idleMs = options.idleMs ?? 75_000;
  const stallMs = options.stallMs ?? 60_000;
  // Each open connection, and the promise that settles once it has closed.
  const open = new Map<ConnState, Promise<void>>();
  let stopping = false;
  const connOptions = {
    handler,
    scheme: options.tls ? "https" as const : "http" as const,
    host,
    stopping: () => stopping,
  };

  // One sweep a second instead of a timer per read: idle and stalled connections are closed.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const c of open.keys()) {
      const limit = c.phase === "idle" ? idleMs : c.phase === "handler" ? Infinity : stallMs;
      if (now - c.lastActive > limit) c.close();
    }
  }, 1000);
  Deno.unrefTimer(sweeper);

  async function accept(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (stopping) return;
        // Out of file descriptors and the like: wait a moment rather than spin or stop.
        console.error(`zarrflask: accept failed: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (stopping) {
        conn.close();
        continue;
      }
      (conn as Deno.TcpConn).setNoDelay?.(true);
      let closed = false;
      const state: ConnState = {
        lastActive: Date.now(),
        phase: "idle",
        close() {
          if (closed) return;
          closed = true;
          try {
            conn.close();
          } catch { /* already closed */ }
        },
      };
      open.set(
        state,
        serveConnection(conn, state, connOptions)
          .catch(() => {/* reset by the peer, a TLS handshake refused, closed by the sweeper */})
          .finally(() => {
            state.close();
            open.delete(state);
          }),
      );
    }
  }

  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => resolveFinished = r);
  const accepting = accept();
  const shutdown = async (): Promise<void> => {
    if (!stopping) {
      stopping = true;
      try {
        listener.close();
      } catch { /* closed */ }
      for (const c of open.keys()) if (c.phase === "idle" || c.phase === "head") c.close();
      await accepting;
      while (open.size) await Promise.all(open.values());
      clearInterval(sweeper);
      resolveFinished();
    }
    return finished;
  };
  options.signal?.addEventListener("abort", () => void shutdown(), { once: true });
  if (options.signal?.aborted) void shutdown();
  else options.onListen?.(addr);
  return { addr, finished, shutdown };
}
