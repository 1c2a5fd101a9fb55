/**
 * The range server as its own process (remote HDF5 reads block the reading process while they
 * wait, so the server must not share it): prints "listening URL"; POST /_faults sets faults,
 * GET /_requests answers the request counts.
 *
 * usage: deno run -A tests/range_server_main.ts DIR
 */
import { rangeServer } from "./range_server.ts";

const server = await rangeServer(Deno.args[0], async (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/_faults" && req.method === "POST") {
    Object.assign(server.faults, await req.json());
    return new Response("ok");
  }
  if (path === "/_requests") {
    const body = JSON.stringify({
      requests: Object.fromEntries(server.requests),
      bytes: server.bytes.sent,
    });
    if (req.method === "DELETE") {
      server.requests.clear();
      server.bytes.sent = 0;
    }
    return new Response(body, { headers: { "content-type": "application/json" } });
  }
  return undefined;
});
console.log(`listening ${server.base}`);
