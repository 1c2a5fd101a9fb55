/**
 * A small HTTP range server for the remote-file tests: files of a directory with strong ETags,
 * single ranges (206), If-Match (412), request counts, and injected faults.
 */

/** Faults to inject, consumed one request at a time. */
export interface Faults {
  /** Answer this many requests with 503. */
  unavailable: number;
  /** Reset this many connections mid-body. */
  drops: number;
  /** Delay every answer by this many ms. */
  delayMs: number;
  /** Answer without Range support (200, whole file). */
  noRanges: boolean;
  /** When set, every request needs `Authorization: Bearer <this>` (else 401). */
  token?: string;
}

/** A running range server. */
export interface RangeServer {
  /** Its base URL (no trailing slash). */
  base: string;
  /** Requests by path since the last reset. */
  requests: Map<string, number>;
  /** Bytes sent since the last reset. */
  bytes: { sent: number };
  faults: Faults;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1; `control` may answer a request first (test endpoints). */
export function rangeServer(
  dir: string,
  control?: (req: Request) => Promise<Response | undefined>,
): Promise<RangeServer> {
  const requests = new Map<string, number>();
  const bytes = { sent: 0 };
  const faults: Faults = { unavailable: 0, drops: 0, delayMs: 0, noRanges: false };
  const ac = new AbortController();
  return new Promise((ready) => {
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: ac.signal,
      onListen: ({ port }) =>
        ready({
          base: `http://127.0.0.1:${port}`,
          requests,
          bytes,
          faults,
          close: async () => {
            ac.abort();
            await server.finished;
          },
        }),
    }, async (req) => {
      const answered = await control?.(req);
      if (answered) return answered;
      const path = decodeURIComponent(new URL(req.url).pathname);
      requests.set(path, (requests.get(path) ?? 0) + 1);
      if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
      if (faults.token && req.headers.get("authorization") !== `Bearer ${faults.token}`) {
        return new Response("unauthorized", { status: 401 });
      }
      if (faults.unavailable > 0) {
        faults.unavailable--;
        return new Response("busy", { status: 503 });
      }
      let stat: Deno.FileInfo;
      try {
        stat = await Deno.stat(`${dir}${path}`);
      } catch {
        return new Response("not found", { status: 404 });
      }
      const etag = `"${stat.mtime?.getTime()}-${stat.size}-${stat.ino}"`;
      const ifMatch = req.headers.get("if-match");
      if (ifMatch && ifMatch !== etag) return new Response(null, { status: 412 });
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.get("range") ?? "");
      let start = 0, end = stat.size - 1;
      const ranged = m && !faults.noRanges;
      if (ranged) {
        start = Number(m[1]);
        end = Math.min(Number(m[2]), stat.size - 1);
        if (start >= stat.size) return new Response(null, { status: 416 });
      }
      const file = await Deno.open(`${dir}${path}`);
      await file.seek(start, Deno.SeekMode.Start);
      const buf = new Uint8Array(end - start + 1);
      let got = 0;
      while (got < buf.length) {
        const n = await file.read(buf.subarray(got));
        if (n === null) break;
        got += n;
      }
      file.close();
      bytes.sent += buf.length;
      const headers: Record<string, string> = {
        etag,
        "accept-ranges": "bytes",
        "last-modified": stat.mtime!.toUTCString(),
      };
      if (faults.drops > 0) {
        faults.drops--;
        // Half the body, then the connection breaks.
        const body = new ReadableStream({
          start(c) {
            c.enqueue(buf.subarray(0, buf.length >> 1));
            c.error(new Error("connection reset (injected)"));
          },
        });
        return new Response(body, {
          status: ranged ? 206 : 200,
          headers: { ...headers, "content-length": String(buf.length) },
        });
      }
      if (ranged) headers["content-range"] = `bytes ${start}-${end}/${stat.size}`;
      return new Response(buf, { status: ranged ? 206 : 200, headers });
    });
  });
}
