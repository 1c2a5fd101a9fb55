/** The `zarrflask` command line: `serve` files or demos, `info` about a file. */
import { datasetLines, pyramidOfDataset } from "./src/app/start_lines.ts";
import { parseArgs } from "node:util";
import { describe } from "./src/app/info.ts";
import type { Dataset } from "./src/model/types.ts";
import { demoPublications } from "./src/app/demo.ts";
import { openFile } from "./src/sources/files.ts";
import { compressorFromSpec, COMPRESSORS, DEFAULT_CODEC } from "./src/codecs/registry.ts";
import { type Servable, serve } from "./server.ts";
import { openAll, parseTarget } from "./src/app/targets.ts";
import { DEFAULT_CHECK_MS, type LiveDataset } from "./src/sources/live.ts";
import type { LiveCollection } from "./src/sources/directory.ts";
import { loadConfig, parseSize, type Publication } from "./src/app/config.ts";
import type { PassThrough } from "./src/zarr/pipeline.ts";
import { exitWithParent, startReplicas, stopOnSignals } from "./src/app/processes.ts";
import { parseTokens } from "./src/http/access.ts";
import type { Failure } from "./src/http/operations.ts";
import { setSourceDefaults } from "./src/sources/bytes/source_for.ts";

const USAGE = `zarrflask: serve netCDF-3, netCDF-4 and HDF5 files as Zarr v2 and v3 stores over HTTP

usage:
  zarrflask serve [options] [NAME=]PATH...   serve each file as /NAME/ (demo datasets if none)
  zarrflask info PATH...                     print a file's structure and Zarr chunking
  zarrflask COMMAND --help                   help for one command
`;

const SERVE_USAGE = `usage: zarrflask serve [options] [NAME=]PATH...

Serves each file as the store /NAME/; NAME defaults to the file name without
its extension. A PATH may be an http(s):// URL of a server that answers Range
requests, or s3://bucket/key (netCDF-3, netCDF-4 and HDF5 alike). A directory
PATH serves every netCDF/HDF5 file under it, each at its path relative to PATH
without the extension (/2024/era5_01/); files that
appear or vanish are seen without a restart. With no PATH and no --config,
serves the built-in demo datasets.

options:
  --config FILE   datasets from FILE: a .ts/.js module whose default export is the
                  datasets (built with mod.ts), or JSON such as
                  {"datasets": {"clim": {"files": "data/clim_*.nc", "concat": "time"}}}
                  (fields: files, concat, codec, chunks, coalesce, shard, passthrough,
                  immutable, tokens)
  --coalesce SIZE grow the chunks of datasets opened from PATHs to about SIZE decoded
                  bytes, whole HDF5 chunks at a time (for files chunked too finely)
  --host HOST     interface to bind (default 127.0.0.1)
  --port PORT     port to listen on (default 8000; 0 picks a free port)
  --codec CODEC   chunk compressor: ${Object.keys(COMPRESSORS).join(", ")}, optionally with
                  a level as NAME:LEVEL (default ${DEFAULT_CODEC}:1; blosc is lz4 inside)
  --shard SIZE    in the v3 view, group chunks into shards of about SIZE decoded
                  bytes (e.g. 64MB, 16MiB); v2 clients are unaffected
  --cache SIZE    encoded chunks and shards kept in memory, all datasets together
                  (default 32MiB, or two shards' worth with --shard; 0 for none)
  --passthrough MODE
                  serve stored HDF5 chunk bytes untouched where the filters map to
                  Zarr codecs: auto (default: every client gets the stored codecs,
                  shuffle included, except GDAL before 3.11 and clients without a
                  User-Agent, which get chunks without shuffle; Vary: User-Agent),
                  all (stored codecs for everyone), compat (the GDAL-safe view for
                  everyone), or off (re-encode every chunk)
  --workers N     worker threads that transcode stored chunks which do not pass
                  through (default: one per core; 0 does it on the main thread)
  --interval SECS how often a file is checked for changes at most (default 1): a
                  rewritten, grown or replaced file is reopened on the next request;
                  a directory PATH is rescanned as often
  --immutable     the files never change: open once, let clients and caches keep
                  chunks and metadata for a year (Cache-Control: immutable), and send
                  stored chunks from the files themselves (faster: no read in JavaScript)
  --parallel N    server processes sharing the port, each with its own h5wasm and
                  caches (default: one per core); the transcoding --workers are
                  shared out between them
  --token-file FILE
                  guard every dataset with the bearer tokens in FILE, one per line
                  (a config's "tokens" field gives a dataset tokens of its own);
                  /health stays open
  --log           one line per request on stdout: time, method, path, status,
                  bytes, duration, kind, chunk origin (stored, transcoded, encoded,
                  cached) and cache hit or miss; errors always go to stderr
  --cert FILE, --key FILE
                  serve HTTPS with this PEM certificate chain and private key
  --drain SECS    on SIGINT/SIGTERM, stop accepting and give requests in flight
                  this long to finish before exiting 0 (default 10)
  --s3-endpoint URL, --s3-region REGION
                  the S3-compatible store of s3:// PATHs (else AWS_ENDPOINT_URL,
                  AWS_REGION; credentials from AWS_* or ~/.aws with AWS_PROFILE)
  --s3-anonymous  unsigned requests, for public buckets
  --block-size SIZE
                  remote metadata is read in blocks of SIZE (default 1MiB; 1-4MiB
                  suits object stores, where a request costs more than its bytes)
  -h, --help      show this help
`;

const INFO_USAGE = `usage: zarrflask info PATH...

Prints each file's groups, dimensions, variables and attributes like
'ncdump -h', with the Zarr chunk shape each variable is served with.
`;

async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8000" },
      codec: { type: "string", default: DEFAULT_CODEC },
      shard: { type: "string" },
      cache: { type: "string" },
      passthrough: { type: "string", default: "auto" },
      workers: { type: "string" },
      config: { type: "string" },
      coalesce: { type: "string" },
      interval: { type: "string" },
      immutable: { type: "boolean" },
      parallel: { type: "string" },
      replica: { type: "boolean" },
      "token-file": { type: "string" },
      log: { type: "boolean" },
      cert: { type: "string" },
      key: { type: "string" },
      drain: { type: "string" },
      "s3-endpoint": { type: "string" },
      "s3-region": { type: "string" },
      "s3-anonymous": { type: "boolean" },
      "block-size": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const cores = navigator.hardwareConcurrency ?? 1;
  const asked = values.parallel === undefined ? cores : Number(values.parallel);
  if (!(Number.isInteger(asked) && asked >= 1)) {
    console.error(`error: --parallel must be a whole number >= 1, got "${values.parallel}"`);
    return 2;
  }
  // Sharing a port (SO_REUSEPORT) needs Deno's --unstable-net (whose APIs exist only with it);
  // without it, one process serves.
  const canShare = "listenDatagram" in Deno;
  const parallel = canShare ? asked : 1;
  if (asked > 1 && !canShare && values.parallel !== undefined) {
    console.error("warning: serving with one process: --parallel needs deno run --unstable-net");
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: --port must be 0-65535, got "${values.port}"`);
    return 2;
  }
  compressorFromSpec(values.codec!); // fail fast on a bad --codec
  const shardBytes = values.shard === undefined ? undefined : parseSize(values.shard);
  const cacheBytes = values.cache === undefined ? undefined : parseSize(values.cache);
  const passthrough = values.passthrough as PassThrough;
  // The transcoding threads are shared out between the server processes.
  const workers = values.workers === undefined
    ? Math.max(1, Math.floor(cores / parallel))
    : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    console.error(`error: --workers must be a whole number, got "${values.workers}"`);
    return 2;
  }
  if (!["auto", "all", "compat", "off"].includes(passthrough)) {
    console.error(`error: --passthrough must be auto, all, compat or off, got "${passthrough}"`);
    return 2;
  }
  const coalesceBytes = values.coalesce === undefined ? undefined : parseSize(values.coalesce);
  const intervalMs = values.interval === undefined
    ? DEFAULT_CHECK_MS
    : Number(values.interval) * 1000;
  if (!(intervalMs >= 0)) {
    console.error(`error: --interval must be seconds, got "${values.interval}"`);
    return 2;
  }
  const immutable = values.immutable ?? false;
  const drainMs = values.drain === undefined ? 10_000 : Number(values.drain) * 1000;
  if (!(drainMs >= 0)) {
    console.error(`error: --drain must be seconds, got "${values.drain}"`);
    return 2;
  }
  const tokenFile = values["token-file"];
  const tokens = tokenFile === undefined
    ? undefined
    : parseTokens(await Deno.readTextFile(tokenFile), `--token-file ${tokenFile}`);
  if ((values.cert === undefined) !== (values.key === undefined)) {
    console.error("error: --cert and --key go together");
    return 2;
  }
  const tls = values.cert === undefined
    ? undefined
    : { cert: await Deno.readTextFile(values.cert), key: await Deno.readTextFile(values.key!) };
  const blockSize = values["block-size"] === undefined
    ? undefined
    : parseSize(values["block-size"]);
  if (blockSize !== undefined && !(blockSize >= 64 << 10 && blockSize <= 64 << 20)) {
    console.error(`error: --block-size must be 64KiB to 64MiB (1-4MiB suits object stores)`);
    return 2;
  }
  setSourceDefaults({
    blockSize,
    s3: {
      endpoint: values["s3-endpoint"],
      region: values["s3-region"],
      anonymous: values["s3-anonymous"],
    },
  });
  const failures: Failure[] = [];
  const kinds = new Map<string, string>(); // the demo's, for its start-up lines
  const servables = await openAll(positionals, failures, {
    coalesceBytes,
    immutable,
    intervalMs,
    quiet: values.replica ?? false,
  });
  const publications: Publication[] = [];
  const collections: Servable[] = [];
  for (const s of servables) {
    if ("kind" in s && s.kind === "collection") collections.push(s);
    else publications.push({ dataset: s as Dataset | LiveDataset });
  }
  if (values.config) publications.push(...await loadConfig(values.config));
  if (positionals.length === 0 && !values.config) {
    for (const d of await demoPublications()) {
      publications.push(d.publication);
      kinds.set(d.publication.dataset.name, d.kind);
    }
  }
  if (publications.length === 0 && collections.length === 0) {
    console.error("error: none of the files could be opened");
    return 1;
  }
  const names = new Set<string>();
  for (const { dataset: d } of publications) {
    if (names.has(d.name)) {
      console.error(`error: two datasets are named "${d.name}"; use NAME=PATH`);
      return 2;
    }
    names.add(d.name);
  }
  const datasets = publications.map((p) => p.dataset);
  // Which have a pyramid, for the start-up lines (a live file is opened to see).
  const pyramids = new Set<string>();
  for (const d of values.replica ? [] : datasets) {
    if (await pyramidOfDataset(d)) pyramids.add(d.name);
  }
  if (values.replica) exitWithParent();
  let replicas: Deno.ChildProcess[] = [];
  const start = (processes: number) =>
    serve([...publications, ...collections], {
      reusePort: processes > 1 || (values.replica ?? false),
      immutable,
      host: values.host,
      port,
      codec: values.codec,
      shardBytes,
      cacheBytes,
      passthrough,
      workers,
      tokens,
      tls,
      failures,
      log: values.log ? (line) => console.log(line) : undefined,
      onListen: (base) => {
        if (values.replica) return;
        if (processes > 1) {
          const cli = new URL(import.meta.url).pathname;
          replicas = startReplicas(cli, argv, Number(new URL(base).port), processes - 1);
        }
        console.log(
          `zarrflask serving ${datasets.length} dataset(s) at ${base}/` +
            (processes > 1 ? ` with ${1 + replicas.length} server processes` : ""),
        );
        for (const c of collections) {
          console.log(`  every netCDF/HDF5 file under ${(c as LiveCollection).source}: ${base}/`);
        }
        for (const d of datasets) {
          for (const line of datasetLines(base, d, kinds.get(d.name), pyramids.has(d.name))) {
            console.log(line);
          }
        }
      },
    });
  const server = start(parallel);
  stopOnSignals(server, () => replicas, drainMs, values.replica ?? false);
  await server.finished;
  return 0;
}

async function infoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help || positionals.length === 0) {
    console.log(INFO_USAGE);
    return values.help ? 0 : 2;
  }
  let status = 0;
  for (const arg of positionals) {
    const { name, path } = parseTarget(arg);
    try {
      console.log(describe(await openFile(path, { name })));
    } catch (e) {
      console.error(`error: ${(e as Error).message}`);
      status = 1;
    }
  }
  return status;
}

/** Runs the CLI with `args`; resolves to the exit status. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === "serve") return await serveCommand(rest);
    if (command === "info") return await infoCommand(rest);
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    console.error(`error: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
