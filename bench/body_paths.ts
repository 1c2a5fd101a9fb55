/**
 * What a chunk's trip through Deno.serve costs, by how its bytes reach the response: the server's
 * CPU seconds per GB sent, under wrk (8 connections, 8 s per way), for 1.4 MB chunks of FILE.
 *
 *   fixed     one buffer already in memory (what Deno.serve itself costs)
 *   pread     node's FileHandle.read into a fresh buffer (the store before 2026-12-02)
 *   pread-stream  the same buffer as the one chunk of a ReadableStream (no copy at Response)
 *   lent      a pread into a buffer kept for the next request; the Response copies it (the store
 *             today, for files that may change: the version is checked between read and send)
 *   kept-stream  a pread into a kept buffer sent as a one-chunk stream (not copied), the buffer
 *             reused once Deno says the answer is complete (ServeHandlerInfo.completed)
 *   raw       no Deno.serve: HTTP/1.1 by hand over Deno.listen, a pread into one kept buffer per
 *             connection written with conn.write (what the HTTP stack costs; GET only, no checks)
 *   raw-response  the same loop around a Request -> Response handler, writing the Response's bytes
 *   pieces-K  read as Deno pulls, K KiB at a time into fresh buffers (WAYS=pieces-256,...)
 *   range     Deno.open + seek + file.readable with Content-Length (a resource-backed body:
 *             Deno pipes it without a trip through JavaScript, and stops at Content-Length)
 *
 * usage: [WAYS=a,b] [CONNECTIONS=n] deno run -A bench/body_paths.ts FILE
 *        (the server side: SERVE=way PORT=n; CONNECTIONS: wrk's, default 8)
 */
import { cpuSeconds } from "./proc.ts";
import { open } from "node:fs/promises";
import { freePort, waitFor, wrk } from "./load.ts";

const CHUNK = 1_400_000;
const file = Deno.args[0];
if (!file) {
  console.error("usage: deno run -A bench/body_paths.ts FILE");
  Deno.exit(2);
}
const chunks = Math.min(64, Math.floor(Deno.statSync(file).size / CHUNK));
const connections = Number(Deno.env.get("CONNECTIONS") ?? 8);

if (Deno.env.get("SERVE")) {
  const way = Deno.env.get("SERVE")!;
  const handle = await open(file, "r");
  const fixed = new Uint8Array(CHUNK).fill(7);
  const pool: Uint8Array[] = [];
  const headers = { "content-type": "application/octet-stream", "content-length": String(CHUNK) };
  if (way === "raw") {
    await rawServer(Number(Deno.env.get("PORT")), async (path, out) => {
      const at = (Number(path.slice(1)) % chunks) * CHUNK;
      await handle.read(out, 0, CHUNK, at);
      return out;
    });
  }
  if (way === "raw-response") {
    // The raw loop around a handler of Request -> Response, as the server's handler is: the
    // Response copies the kept buffer, and the loop writes that copy.
    await rawServer(Number(Deno.env.get("PORT")), async (path) => {
      const req = new Request(`http://127.0.0.1${path}`, { headers: { "user-agent": "x" } });
      const at = (Number(new URL(req.url).pathname.slice(1)) % chunks) * CHUNK;
      const kept = pool.pop() ?? new Uint8Array(CHUNK);
      await handle.read(kept, 0, CHUNK, at);
      const res = new Response(kept as Uint8Array<ArrayBuffer>, { headers });
      pool.push(kept);
      return await res.bytes();
    });
  }
  Deno.serve(
    {
      hostname: "127.0.0.1",
      port: way === "raw" ? 0 : Number(Deno.env.get("PORT")),
      onListen() {},
    },
    async (req, info) => {
      const at = (Number(new URL(req.url).pathname.slice(1)) % chunks) * CHUNK;
      if (way === "fixed") return new Response(fixed, { headers });
      if (way === "pread") {
        const b = new Uint8Array(CHUNK);
        await handle.read(b, 0, CHUNK, at);
        return new Response(b, { headers });
      }
      if (way === "pread-stream") {
        const b = new Uint8Array(CHUNK);
        await handle.read(b, 0, CHUNK, at);
        return new Response(oneChunk(b), { headers });
      }
      if (way === "kept-stream") {
        const b = pool.pop() ?? new Uint8Array(CHUNK);
        await handle.read(b, 0, CHUNK, at);
        // Deno holds a stream's chunks until it has sent them: reused once the answer is done.
        info.completed.then(() => pool.push(b), () => pool.push(b));
        return new Response(oneChunk(b), { headers });
      }
      if (way === "lent") {
        const b = pool.pop() ?? new Uint8Array(CHUNK);
        await handle.read(b, 0, CHUNK, at);
        const r = new Response(b as Uint8Array<ArrayBuffer>, { headers });
        pool.push(b);
        return r;
      }
      if (way.startsWith("pieces-")) {
        const size = Number(way.slice(7)) * 1024;
        let done = 0;
        return new Response(
          new ReadableStream({
            async pull(c) {
              if (done >= CHUNK) return c.close();
              const n = Math.min(size, CHUNK - done);
              const b = new Uint8Array(n); // Deno keeps a stream's chunks: never reused
              await handle.read(b, 0, n, at + done);
              done += n;
              c.enqueue(b);
            },
          }, { highWaterMark: 0 }),
          { headers },
        );
      }
      const f = await Deno.open(file);
      await f.seek(at, Deno.SeekMode.Start);
      return new Response(f.readable, { headers });
    },
  );
} else {
  console.log("| way | MB/s | server CPU-s per GB |\n|---|---|---|");
  const ways = Deno.env.get("WAYS")?.split(",") ??
    ["fixed", "pread", "pread-stream", "lent", "kept-stream", "range"];
  for (const way of ways) {
    const port = freePort();
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, file],
      env: { SERVE: way, PORT: String(port) },
      stdout: "null",
    }).spawn();
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/0`);
    const before = cpuSeconds(server.pid);
    const paths = Array.from({ length: chunks }, (_, i) => `/${i}`);
    const r = await wrk(base, paths, { connections, seconds: 8 });
    const cpu = cpuSeconds(server.pid) - before;
    server.kill("SIGTERM");
    await server.status;
    const gb = (r.requests * CHUNK) / 1e9;
    console.log(`| ${way} | ${r.mbps.toFixed(0)} | ${(cpu / gb).toFixed(2)} |`);
  }
}

/** A stream of one chunk (Deno holds the buffer until it is written, without copying it). */
function oneChunk(b: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(b);
      c.close();
    },
  });
}

/** A bare keep-alive HTTP/1.1 server: each GET's body is `fill`ed into a buffer kept per connection. */
async function rawServer(
  port: number,
  fill: (path: string, out: Uint8Array) => Promise<Uint8Array>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const head = new TextEncoder().encode(
    `HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: ${CHUNK}\r\n\r\n`,
  );
  for await (const conn of listener) {
    (async () => {
      const body = new Uint8Array(CHUNK);
      const inbox = new Uint8Array(16384);
      let pending = "";
      try {
        for (;;) {
          const n = await conn.read(inbox);
          if (n === null) break;
          pending += new TextDecoder().decode(inbox.subarray(0, n));
          let end;
          while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
            const path = pending.slice(4, pending.indexOf(" ", 4));
            pending = pending.slice(end + 4);
            const sent = await fill(path, body);
            for (const part of [head, sent]) {
              for (let off = 0; off < part.length;) off += await conn.write(part.subarray(off));
            }
          }
        }
      } catch { /* the client went away */ }
      try {
        conn.close();
      } catch { /* closed */ }
    })();
  }
}
