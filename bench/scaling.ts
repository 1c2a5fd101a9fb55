/**
 * Chunk throughput and server CPU per GB with --parallel 1 and 2 (and --immutable), the CLI as an
 * operator runs it, wrk (8 connections, xarray's User-Agent) over every chunk of one variable.
 *
 * usage: [BEFORE=DIR] [FLAGS="--parallel 1"] [REMOTE=1] deno run -A bench/scaling.ts FILE VAR [SECONDS]
 *        (e.g. bench/.data/climate_small.nc t2m). BEFORE names another checkout (a git worktree of
 *        an earlier commit) whose CLI runs each configuration too, alternating, in the same run;
 *        FLAGS replaces the configurations (`;` between them). REMOTE=1 serves the file from a
 *        local nginx and the servers read it over HTTP (remote pass-through).
 */
import { cpuSeconds } from "./proc.ts";
import { fileURLToPath } from "node:url";
import { basename, dirname, extname, resolve } from "node:path";
import { startNginx } from "./nginx.ts";
import { freePort, waitFor, wrk } from "./load.ts";

const [file, variable, secondsText] = Deno.args;
if (!file || !variable) {
  console.error("usage: deno run -A bench/scaling.ts FILE VAR [SECONDS]");
  Deno.exit(2);
}
const seconds = Number(secondsText ?? 8);
const here = fileURLToPath(new URL("../cli.ts", import.meta.url));
const before = Deno.env.get("BEFORE");
const clis: [string, string][] = [
  ["", here],
  ...(before ? [["before ", `${before}/cli.ts`]] : []),
] as [
  string,
  string,
][];
const configs = Deno.env.get("FLAGS")?.split(";").map((f) => f.trim().split(/\s+/)) ??
  [["--parallel", "1"], ["--parallel", "2"], ["--parallel", "2", "--immutable"]];
const name = basename(file, extname(file));
const nginx = Deno.env.get("REMOTE")
  ? await startNginx(dirname(resolve(file)), `/${basename(file)}`)
  : undefined;
const target = nginx ? `${nginx.base}/${basename(file)}` : file;

console.log(
  "| server | chunk MB/s | server CPU-s per GB | MB/s per busy core |\n|---|---|---|---|",
);
for (
  const [label, flags, cli] of configs.flatMap((f) => clis.map(([l, c]) => [l, f, c] as const))
) {
  const port = freePort();
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "serve", "--port", String(port), ...flags, target],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/${name}/${variable}/zarr.json`);
  const meta = await (await fetch(`${base}/${name}/${variable}/zarr.json`)).json();
  const grid: number[] = meta.shape.map((n: number, i: number) =>
    Math.ceil(n / meta.chunk_grid.configuration.chunk_shape[i])
  );
  let keys = [""];
  for (const n of grid) {
    keys = keys.flatMap((k) => Array.from({ length: n }, (_, i) => (k ? `${k}/${i}` : `${i}`)));
  }
  const paths = keys.map((k) => `/${name}/${variable}/c/${k}`);
  await wrk(base, paths, { connections: 8, seconds: 2 }); // warm the page cache
  const start = cpuSeconds(server.pid);
  const r = await wrk(base, paths, { connections: 8, seconds });
  const cpu = cpuSeconds(server.pid) - start;
  server.kill("SIGTERM");
  await server.status;
  const gb = (r.mbps * seconds) / 1000;
  console.log(
    `| ${label}${flags.join(" ")} | ${r.mbps.toFixed(0)} | ${(cpu / gb).toFixed(2)} | ` +
      `${(r.mbps / (cpu / seconds)).toFixed(0)} |`,
  );
}
await nginx?.stop();
