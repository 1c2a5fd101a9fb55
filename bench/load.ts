/** Load with wrk and the servers it loads: what bench/run.ts and the replace runs share. */

/** What wrk measured. */
export interface WrkResult {
  /** Requests made, and those answered other than 2xx/3xx or failed at the socket. */
  requests: number;
  bad: number;
  /** Requests per second, MB per second on the wire, and the 99th latency percentile (ms). */
  rps: number;
  mbps: number;
  p99: number;
}

/** How wrk loads. */
export interface WrkOptions {
  connections: number;
  seconds: number;
  /** Sent with every request (default: like xarray's aiohttp, so servers answer as to it). */
  userAgent?: string;
}

/** wrk over `paths` of `base` in turn. */
export async function wrk(base: string, paths: string[], options: WrkOptions): Promise<WrkResult> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(",")}}\n` +
      `local i = 0\nrequest = function()\n  i = i + 1\n` +
      `  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n` +
      `done = function(summary, latency, requests)\n` +
      `  local e = summary.errors\n  local s = summary.duration / 1e6\n` +
      `  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests,` +
      ` e.status + e.connect + e.read + e.write + e.timeout, summary.requests / s,` +
      ` summary.bytes / s / 1e6, latency:percentile(99) / 1000))\nend\n`,
  );
  try {
    const res = await new Deno.Command("wrk", {
      args: [
        `-t${Math.min(2, options.connections)}`,
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        "--timeout",
        "30s",
        "-H",
        `User-Agent: ${options.userAgent ?? "Python/3.11 aiohttp/3.8.4"}`,
        "-s",
        script,
        base,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output().catch((e) => {
      throw new Error(`wrk cannot run (is it installed?): ${e}`);
    });
    const out = new TextDecoder().decode(res.stdout);
    const m = /RESULT (\d+) (\d+) (\S+) (\S+) (\S+)/.exec(out);
    if (!m) throw new Error(`wrk printed no result: ${out}${new TextDecoder().decode(res.stderr)}`);
    const [requests, bad, rps, mbps, p99] = m.slice(1).map(Number);
    return { requests, bad, rps, mbps, p99 };
  } finally {
    await Deno.remove(script);
  }
}

/** A free port on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** Waits until `url` answers 2xx (a server starting), at most 20 s. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}
