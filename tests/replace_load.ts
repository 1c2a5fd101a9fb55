/**
 * A served file replaced by rename over and over while wrk and a Python reader fetch its chunks:
 * the server as an operator runs it (the CLI, default flags), the publisher as the README advises
 * (write, then `mv`). Used by tests/replace_test.ts (seconds) and bench/replace.ts (30 s runs).
 */
import { freePort, waitFor, wrk } from "../bench/load.ts";
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
    const { requests, bad, rps } = await wrk(base, paths, {
      connections: c.connections ?? 16,
      seconds: c.seconds,
    });
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
      requests,
      bad,
      rps,
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
