/**
 * Remote pass-through against reading the file directly: one variable of a netCDF-4 file in full,
 * with today's client (and Debian 12's where it has h5netcdf), from a local nginx range server and
 * from S3 (moto_server, signed). Direct: `xr.open_dataset(f, engine="h5netcdf", chunks=None)` of
 * fsspec's HTTP file (1 MiB blocks; a presigned URL for S3). Through zarrflask: the same call with
 * `engine="zarr"` on the server serving that URL with default flags, and `xr.open_zarr` (dask).
 * Reads alternate, best of REPEAT (default 2); the server's CPU per GB of chunks comes from its
 * own /metrics byte count.
 *
 * usage: [REPEAT=n] [CLI=other/cli.ts] [SOURCES=http,s3] deno run -A bench/remote_read.ts FILE VAR
 *        (e.g. bench/.data/climate_small.nc t2m; CLI runs another checkout's server, for before/after)
 */
import { cpuSeconds } from "./proc.ts";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitFor } from "./load.ts";
import { startNginx } from "./nginx.ts";
import { startMoto } from "../tests/moto.ts";

const [fileArg, variable] = Deno.args;
if (!fileArg || !variable) {
  console.error("usage: deno run -A bench/remote_read.ts FILE VAR");
  Deno.exit(2);
}
const file = resolve(fileArg);
const repeat = Number(Deno.env.get("REPEAT") ?? 2);
// moto keeps objects in memory and answers ranges slowly: S3 suits files of ~100 MB here.
const sources = (Deno.env.get("SOURCES") ?? "http,s3").split(",");
const cli = Deno.env.get("CLI") ?? fileURLToPath(new URL("../cli.ts", import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const MODERN = resolve(here("../../shared/tools/modern-clients"));
const clients: [string, string[]][] = [["today", [MODERN, "run", "python3"]]];
const debianH5 = await new Deno.Command("/usr/bin/python3", { args: ["-c", "import h5netcdf"] })
  .output();
if (debianH5.code === 0) clients.push(["Debian 12", ["/usr/bin/python3"]]);

interface Read {
  open_s: number;
  load_s: number;
  client_cpu_s: number;
}

async function read(client: string[], way: string, url: string): Promise<Read> {
  const out = await new Deno.Command(client[0], {
    args: [...client.slice(1), here("./remote_read.py"), way, url, variable],
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
  if (out.code !== 0) throw new Error(`${way} ${url}: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text);
}

async function chunkBytes(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /zarrflask_response_bytes_total\{kind="chunk"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** zarrflask serving `url` with default flags, while `use` runs. */
async function withZarrflask<T>(
  url: string,
  env: Record<string, string>,
  use: (store: string, cpu: () => number, bytes: () => Promise<number>) => Promise<T>,
): Promise<T> {
  const port = freePort();
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "serve", "--port", String(port), `remote=${url}`],
    env,
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/remote/.zmetadata`);
    return await use(`${base}/remote`, () => cpuSeconds(proc.pid), () => chunkBytes(base));
  } finally {
    proc.kill("SIGTERM");
    await proc.status;
  }
}

console.log(
  `| source | client | direct (h5netcdf), s | through zarrflask (zarr engine), s | ratio | ` +
    `through zarrflask, xr.open_zarr (dask), s | server CPU-s per GB |\n|---|---|---|---|---|---|---|`,
);
async function compare(where: string, direct: string, served: string, env: Record<string, string>) {
  await withZarrflask(served, env, async (store, cpu, bytes) => {
    for (const [label, client] of clients) {
      let best = { direct: Infinity, zf: Infinity, dask: Infinity, cpuPerGb: Infinity };
      for (let r = 0; r < repeat; r++) {
        const d = await read(client, "h5", direct);
        const c0 = cpu(), b0 = await bytes();
        const z = await read(client, "zarr", store);
        const perGb = (cpu() - c0) / ((await bytes() - b0) / 1e9);
        const k = await read(client, "zarr-dask", store);
        best = {
          direct: Math.min(best.direct, d.open_s + d.load_s),
          zf: Math.min(best.zf, z.open_s + z.load_s),
          dask: Math.min(best.dask, k.open_s + k.load_s),
          cpuPerGb: Math.min(best.cpuPerGb, perGb),
        };
      }
      const f = (x: number) => x.toFixed(2);
      console.log(
        `| ${where} | ${label} | ${f(best.direct)} | ${f(best.zf)} | ` +
          `${f(best.zf / best.direct)}x | ${f(best.dask)} | ${f(best.cpuPerGb)} |`,
      );
    }
  });
}

/** The same file in a moto bucket: through zarrflask by s3://, directly by a presigned URL. */
async function compareS3(endpoint: string): Promise<void> {
  const put = await new Deno.Command("/usr/bin/python3", {
    args: [here("../tests/interop/s3_put.py"), endpoint, "bench", file],
  }).output();
  if (put.code !== 0) throw new Error(new TextDecoder().decode(put.stderr));
  const key = `nc3/${basename(file)}`;
  const signed = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      "import boto3,sys; print(boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')" +
      ".generate_presigned_url('get_object', Params={'Bucket': 'bench', 'Key': sys.argv[2]}, ExpiresIn=3600))",
      endpoint,
      key,
    ],
  }).output();
  const presigned = new TextDecoder().decode(signed.stdout).trim();
  await compare("S3 (moto)", presigned, `s3://bench/${key}`, { AWS_ENDPOINT_URL: endpoint });
}

const nginx = await startNginx(dirname(file), `/${basename(file)}`);
try {
  const url = `${nginx.base}/${basename(file)}`;
  if (sources.includes("http")) await compare("HTTP (nginx)", url, url, {});
  if (sources.includes("s3")) {
    const moto = await startMoto();
    try {
      await compareS3(moto.endpoint);
    } finally {
      await moto.stop();
    }
  }
} finally {
  await nginx.stop();
}
