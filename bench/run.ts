/**
 * zarrflask side by side with a static Zarr copy behind nginx, on the same
 * netCDF-4 file, on this machine (loopback only, bounded loads).
 *
 * usage: deno task bench [--small] [--passthrough auto|all|compat|off] [--codec C] [--repeat N]
 *        [--cli OTHER/cli.ts]   (another checkout's server, for before/after tables)
 *        [--seconds S] [--data DIR] [--parallel N]
 */
import { cpuSeconds, family, peakRss } from "./proc.ts";
import { startNginx } from "./nginx.ts";
import { freePort, waitFor, wrk } from "./load.ts";
import { clients, type XarrayRead, xarrayRead } from "./xarray_clients.ts";
import { SEMI_SPACE_FLAG } from "../src/app/processes.ts";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    small: { type: "boolean", default: false },
    passthrough: { type: "string", default: "auto" },
    codec: { type: "string", default: "zstd" },
    data: { type: "string" },
    seconds: { type: "string" },
    repeat: { type: "string" },
    parallel: { type: "string" },
    cli: { type: "string" },
  },
});
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const PY = "/usr/bin/python3";
const dataDir = values.data ?? here("./.data");
const tag = values.small ? "small" : "full";
const ncPath = `${dataDir}/climate_${tag}.nc`;
const zarrPath = `${dataDir}/climate_${tag}.zarr`;
const zlibPath = `${dataDir}/climate_${tag}_zlib.zarr`;
// --small fits in a minute: shorter loads and one xarray read each.
const seconds = Number(values.seconds ?? (values.small ? 3 : 5));
const repeat = Number(values.repeat ?? (values.small ? 3 : 2));

async function sh(cmd: string, args: string[], quiet = false): Promise<string> {
  const res = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(res.stdout);
  if (res.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${new TextDecoder().decode(res.stderr)}`);
  }
  if (!quiet) console.error(out.trim());
  return out;
}

async function exists(p: string): Promise<boolean> {
  return await Deno.stat(p).then(() => true, () => false);
}

/** wrk as this bench runs it: requests/s, MB/s and the p99 latency (ms). */
function wrkRun(
  base: string,
  paths: string[],
  connections: number,
  secs = seconds,
): Promise<{ rps: number; mbps: number; p99: number }> {
  return wrk(base, paths, {
    connections,
    seconds: secs,
    userAgent: "zarrflask-bench (like Python/aiohttp)",
  });
}

/** Peak RSS of the server and of each replica process it started. */
function peakRssAll(pid: number): number[] {
  return family(pid).map(peakRss);
}

// 1. The file, and the static copy a user would make with to_zarr.
await Deno.mkdir(dataDir, { recursive: true });
if (!(await exists(ncPath))) {
  console.error(`writing ${ncPath} ...`);
  await sh(PY, [here("./make_climate.py"), ncPath, ...(values.small ? ["--small"] : [])]);
}
/** Whether `path` is a static copy made by this static_copy.py (an older one lost packing). */
async function currentCopy(path: string): Promise<boolean> {
  try {
    return (await Deno.readTextFile(`${path}/copy-version`)).trim() === COPY_VERSION;
  } catch {
    return false;
  }
}
const COPY_VERSION = "2";
if (!(await currentCopy(zarrPath))) {
  console.error(`writing the static copy ${zarrPath} ...`);
  await sh(PY, [here("./static_copy.py"), ncPath, zarrPath]);
}
if (!(await currentCopy(zlibPath))) {
  console.error(`writing the static copy with the file's own codecs ${zlibPath} ...`);
  await sh(PY, [here("./static_copy.py"), ncPath, zlibPath, "--like-source"]);
}

// 2. nginx serving the static copy, as this user's own process.
const nginx = await startNginx(dataDir, `/climate_${tag}.zarr/.zmetadata`);

// 3. zarrflask on the same file.
const zfPort = await freePort();
const zarrflask = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "--unstable-net",
    SEMI_SPACE_FLAG, // as `deno task serve` runs it (replicas get it from the CLI)
    values.cli ?? here("../cli.ts"),
    "serve",
    "--port",
    String(zfPort),
    ...(values.parallel ? ["--parallel", values.parallel] : []),
    "--passthrough",
    values.passthrough!,
    "--codec",
    values.codec!,
    `climate=${ncPath}`,
  ],
  stdout: "null",
  stderr: "inherit",
}).spawn();

const staticBase = nginx.base;
const staticStore = `${staticBase}/climate_${tag}.zarr`;
const zfBase = `http://127.0.0.1:${zfPort}`;
const zfStore = `${zfBase}/climate`;
try {
  await waitFor(`${zfStore}/.zmetadata`);
  const meta = JSON.parse(await (await fetch(`${zfStore}/.zmetadata`)).text()).metadata;
  const t2m = meta["t2m/.zarray"];
  const grid = t2m.shape.map((n: number, i: number) => Math.ceil(n / t2m.chunks[i]));
  const keys: string[] = [];
  for (let t = 0; t < grid[0]; t++) {
    for (let y = 0; y < grid[1]; y++) {
      for (let x = 0; x < grid[2]; x++) keys.push(`${t}.${y}.${x}`);
    }
  }
  const chunkPaths = (prefix: string) =>
    ["t2m", "tp"].flatMap((v) => keys.map((k) => `${prefix}/${v}/${k}`));
  const rows: [string, number, number, string][] = [];
  const zfPath = new URL(zfStore).pathname, stPath = new URL(staticStore).pathname;
  // Chunk load goes to the copy with the file's codecs: the same bytes zarrflask passes through
  // (the lz4 copy's chunks are larger, so its MB/s would not compare).
  const samePath = `/climate_${tag}_zlib.zarr`;

  console.error("metadata requests/s ...");
  // Warm both first: V8 tiers the handler up and each replica opens the file on first use.
  await wrkRun(zfBase, [`${zfPath}/.zmetadata`], 32, 2);
  await wrkRun(staticBase, [`${stPath}/.zmetadata`], 32, 2);
  const zm = await wrkRun(zfBase, [`${zfPath}/.zmetadata`], 32);
  const sm = await wrkRun(staticBase, [`${stPath}/.zmetadata`], 32);
  rows.push([".zmetadata requests/s", zm.rps, sm.rps, "higher"]);

  console.error("chunk requests ...");
  await wrkRun(zfBase, chunkPaths(zfPath), 4, 2); // warm the page cache for both
  await wrkRun(staticBase, chunkPaths(samePath), 4, 2);
  let cpu0 = cpuSeconds(zarrflask.pid);
  const zc = await wrkRun(zfBase, chunkPaths(zfPath), 8);
  const zcCpu = cpuSeconds(zarrflask.pid) - cpu0;
  cpu0 = cpuSeconds(nginx.pid);
  const sc = await wrkRun(staticBase, chunkPaths(samePath), 8);
  const scCpu = cpuSeconds(nginx.pid) - cpu0;
  // Server CPU per GB sent: what is left of two shared cores for metadata under chunk load.
  const perGb = (cpu: number, r: { mbps: number }) => cpu / (r.mbps * seconds / 1000);
  rows.push(["chunk requests/s", zc.rps, sc.rps, "higher"]);
  rows.push(["chunk MB/s (on the wire; static: the same bytes)", zc.mbps, sc.mbps, "higher"]);
  rows.push(["server CPU-s per GB of chunks sent", perGb(zcCpu, zc), perGb(scCpu, sc), "lower"]);

  console.error("metadata latency under chunk load ...");
  const load = wrkRun(zfBase, chunkPaths(zfPath), 8, seconds + 1);
  await new Promise((r) => setTimeout(r, 300));
  const underLoad = await wrkRun(zfBase, [`${zfPath}/.zmetadata`], 1, seconds - 1);
  await load;
  const idle = await wrkRun(zfBase, [`${zfPath}/.zmetadata`], 1, 2);
  // The same for nginx under its own chunk load: what two shared cores allow a static server.
  const staticLoad = wrkRun(staticBase, chunkPaths(samePath), 8, seconds + 1);
  await new Promise((r) => setTimeout(r, 300));
  const staticUnderLoad = await wrkRun(staticBase, [`${stPath}/.zmetadata`], 1, seconds - 1);
  await staticLoad;

  // Reads alternate between the servers and the best of --repeat runs counts: on
  // two shared cores, one run's noise is as large as the differences measured.
  console.error("xarray reads ...");
  const urls = [zfStore, staticStore, `${staticBase}/climate_${tag}_zlib.zarr`];
  const cpuRows: string[] = [];
  let zx: XarrayRead = { full_s: 0, step_s: 0, bytes: 0, client_cpu_s: 0 };
  for (const client of await clients()) {
    const best: XarrayRead[] = urls.map(() => ({
      full_s: Infinity,
      step_s: Infinity,
      bytes: 0,
      client_cpu_s: Infinity,
    }));
    for (let r = 0; r < repeat; r++) {
      for (const [i, url] of urls.entries()) {
        const x = await xarrayRead(url, client);
        best[i] = {
          full_s: Math.min(best[i].full_s, x.full_s),
          step_s: Math.min(best[i].step_s, x.step_s),
          bytes: x.bytes,
          client_cpu_s: Math.min(best[i].client_cpu_s, x.client_cpu_s),
        };
      }
    }
    const [z, sx, sz] = best;
    zx = z;
    const who = `${client.name} xarray`;
    rows.push([`${who} full read (s)`, z.full_s, sx.full_s, "lower"]);
    rows.push([`${who} one time step (s)`, z.step_s, sx.step_s, "lower"]);
    rows.push([
      `${who} full read (s) vs static with the file's codecs`,
      z.full_s,
      sz.full_s,
      "lower",
    ]);
    rows.push([
      `${who} one time step (s) vs static with the file's codecs`,
      z.step_s,
      sz.step_s,
      "lower",
    ]);
    cpuRows.push(
      `| ${who} client CPU-s for the full read (zarrflask / static lz4 / static file codecs) | ` +
        `${best.map((b) => b.client_cpu_s.toFixed(1)).join(" / ")} | | |`,
    );
    // The server's side of one full read (all processes; the warm-up's two chunks included).
    const cpu0 = cpuSeconds(zarrflask.pid);
    await xarrayRead(zfStore, client, true);
    const serverCpu = cpuSeconds(zarrflask.pid) - cpu0;
    const fileGb = (await Deno.stat(ncPath)).size / 1e9;
    cpuRows.push(
      `| ${who} server CPU-s for one full read (per GB of the file's chunks) | ` +
        `${serverCpu.toFixed(2)} (${(serverCpu / fileGb).toFixed(2)}) | | |`,
    );
  }

  const rss = peakRssAll(zarrflask.pid);
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  console.log(
    `\nzarrflask vs static Zarr (nginx), ${tag} file ${ncPath.split("/").pop()} ` +
      `(${((await Deno.stat(ncPath)).size / 1e6).toFixed(0)} MB, ${keys.length} chunks per ` +
      `variable, ${(zx.bytes / 1e9).toFixed(2)} GB decoded), ` +
      `--passthrough ${values.passthrough} --codec ${values.codec}\n`,
  );
  console.log("| figure | zarrflask | static | zarrflask / static |");
  console.log("|---|---|---|---|");
  for (const [name, z, s] of rows) {
    console.log(`| ${name} | ${fmt(z)} | ${fmt(s)} | ${(z / s).toFixed(2)} |`);
  }
  console.log(
    `| zarrflask peak RSS (MB), first process + replicas | ` +
      `${rss.map((r) => r.toFixed(0)).join(" + ")} | | |`,
  );
  for (const row of cpuRows) console.log(row);
  console.log(
    `| .zmetadata p99 latency (ms), idle / under chunk load | ${fmt(idle.p99)} / ` +
      `${fmt(underLoad.p99)} | under its own chunk load: ${fmt(staticUnderLoad.p99)} | |`,
  );
} finally {
  zarrflask.kill();
  await zarrflask.status;
  await nginx.stop();
}
