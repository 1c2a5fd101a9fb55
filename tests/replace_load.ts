/**
 * A served file replaced by rename over and over while wrk and a Python reader fetch its chunks:
 * the server as an operator runs it (the CLI, default flags), the publisher as the README advises
 * (write, then `mv`). Used by tests/replace_test.ts (seconds) and bench/replace.ts (30 s runs).
 */
import { pathFrom, PYTHON, run } from "./setup.ts";

const here = pathFrom(import.meta.url);

/** What is served and how often it is replaced. */
export interface ReplaceCase {
  /** A netCDF-4 file (zlib + shuffle chunks), a netCDF-3 file, or a netCDF-4 file in a served folder. */
  kind: "netCDF-4" | "netCDF-3" | "directory";
  /** Seconds between replacements. */
  period: number;
  /** Seconds of load. */
  seconds: number;
  /** wrk connections (16 in the runs). */
  connections?: number;
}

/** What the clients saw. */
export interface ReplaceResult {
  /** Requests wrk made, and how many were not 2xx or 3xx (or failed at the socket). */
  requests: number;
  bad: number;
  /** Requests per second. */
  rps: number;
  /** Replacements made during the run. */
  swaps: number;
  /** Chunks the Python reader checked, from version a and b; its message when one was neither. */
  checked: { a: number; b: number } | { mixture: string };
  /** Files held open for reads by a server process after the churn (old versions closed). */
  openReaders: number;
}

/** Runs one case in a temporary folder; the server and the writers are separate processes. */
export async function replaceUnderLoad(c: ReplaceCase): Promise<ReplaceResult> {
  const dir = await Deno.makeTempDir({ prefix: "zarrflask-replace-" });
  const port = freePort();
  let server: Deno.ChildProcess | undefined;
  let swapping = true;
  try {
    const made = await run(PYTHON, [
      here("./interop/replace_check.py"),
      "write",
      dir,
      c.kind === "netCDF-3" ? "NETCDF3_CLASSIC" : "NETCDF4",
    ]);
    if (made.code !== 0) throw new Error(`writing the versions failed: ${made.out}`);
    await Deno.mkdir(`${dir}/served`);
    await Deno.copyFile(`${dir}/a.nc`, `${dir}/served/data.nc`);
    const target = c.kind === "directory" ? `${dir}/served` : `data=${dir}/served/data.nc`;
    server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", here("../cli.ts"), "serve", "--port", String(port), target],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/data/t/zarr.json`);
    const meta = await (await fetch(`${base}/data/t/zarr.json`)).json();
    const shape: number[] = meta.shape;
    const chunks: number[] = meta.chunk_grid.configuration.chunk_shape;
    const paths = chunkKeys(shape, chunks).map((k) => `/data/t/c/${k}`);

    // The publisher: write the other version beside the file, then rename it over the file.
    let swaps = 0;
    const swapper = (async () => {
      while (swapping) {
        await new Promise((r) => setTimeout(r, c.period * 1000));
        if (!swapping) break;
        const next = swaps % 2 === 0 ? "b" : "a";
        await Deno.copyFile(`${dir}/${next}.nc`, `${dir}/served/data.nc.part`);
        await Deno.rename(`${dir}/served/data.nc.part`, `${dir}/served/data.nc`);
        swaps++;
      }
    })();
    const reader = run(PYTHON, [
      here("./interop/replace_check.py"),
      "read",
      `${base}/v2/data/t`,
      String(c.seconds),
    ]);
    const load = await wrk(base, paths, c.connections ?? 16, c.seconds);
    const read = await reader;
    swapping = false;
    await swapper;
    const m = /chunks (\d+) a (\d+) b (\d+)/.exec(read.stdout);
    // Once the last version is seen, the superseded ones close: a few fds stay, not one a swap.
    await new Promise((r) => setTimeout(r, 1200));
    let openReaders = 0;
    for (let i = 0; i < 8; i++) {
      await (await fetch(`${base}${paths[0]}`)).body?.cancel();
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const held = /zarrflask_open_files\{by="reader"\} (\d+)/.exec(metrics);
      openReaders = Math.max(openReaders, Number(held?.[1] ?? NaN));
    }
    return {
      ...load,
      swaps,
      openReaders,
      checked: m && read.code === 0
        ? { a: Number(m[2]), b: Number(m[3]) }
        : { mixture: read.out.trim().split("\n").at(-1) ?? read.out },
    };
  } finally {
    swapping = false;
    if (server) {
      server.kill("SIGTERM");
      await server.status;
      await server.stderr.cancel();
    }
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every chunk key `i/j/k` of an array. */
function chunkKeys(shape: number[], chunks: number[]): string[] {
  let keys = [""];
  shape.forEach((n, d) => {
    const count = Math.ceil(n / chunks[d]);
    keys = keys.flatMap((k) =>
      Array.from({ length: count }, (_, i) => (k ? `${k}/${i}` : String(i)))
    );
  });
  return keys;
}

/** wrk over `paths` in turn, with xarray's User-Agent (aiohttp). */
async function wrk(
  base: string,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<{ requests: number; bad: number; rps: number }> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(",")}}\n` +
      `local i = 0\nrequest = function()\n  i = i + 1\n` +
      `  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n` +
      `done = function(summary, latency, requests)\n` +
      `  local e = summary.errors\n` +
      `  io.write(string.format("RESULT %d %d %f\\n", summary.requests,` +
      ` e.status + e.connect + e.read + e.write + e.timeout,` +
      ` summary.requests / (summary.duration / 1e6)))\nend\n`,
  );
  try {
    const res = await run("wrk", [
      "-t2",
      `-c${connections}`,
      `-d${seconds}s`,
      "-H",
      "User-Agent: Python/3.11 aiohttp/3.8.4",
      "-s",
      script,
      base,
    ]);
    const m = /RESULT (\d+) (\d+) (\S+)/.exec(res.out);
    if (!m) throw new Error(`wrk printed no result (is wrk installed?): ${res.out}`);
    return { requests: Number(m[1]), bad: Number(m[2]), rps: Number(m[3]) };
  } finally {
    await Deno.remove(script);
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}
