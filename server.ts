/**
 * The HTTP server: the store handler over our own HTTP/1.1 (src/http/wire). Run directly, it serves
 * the built-in demo datasets.
 */
import { createHandler } from "./src/http/handler.ts";
import { type Http1Server, serveHttp1 } from "./src/http/wire/http1_server.ts";
import type { Servable } from "./src/app/servable.ts";
import type { Dataset } from "./src/model/types.ts";
import { demoPublications } from "./src/app/demo.ts";
import { compressorFromSpec, DEFAULT_CODEC } from "./src/codecs/registry.ts";
import {
  createStore,
  DEFAULT_CACHE_BYTES,
  type Store,
  type StoreOptions,
} from "./src/zarr/store.ts";
import {
  type Catalog,
  type Entry,
  fixedCatalog,
  fixedEntry,
  joinCatalogs,
  liveEntry,
  viewOptions,
} from "./src/http/catalog.ts";
import type { View } from "./src/http/clients.ts";
import type { LiveDataset } from "./src/sources/live.ts";
import type { LiveCollection } from "./src/sources/directory.ts";
import { byteCache } from "./src/zarr/cache.ts";
import type { PassThrough } from "./src/zarr/pipeline.ts";
import { createTranscoder } from "./src/zarr/transcoder.ts";
import type { Publication } from "./src/app/config.ts";
import type { Access } from "./src/http/access.ts";
import { createMetrics, type Gauge } from "./src/http/metrics.ts";
import type { Failure } from "./src/http/operations.ts";
import type { ByteCache } from "./src/zarr/cache.ts";
import type { Transcoder } from "./src/zarr/transcoder.ts";
import { openHandleCount } from "./src/sources/hdf5/module.ts";
import { openReaderCount } from "./src/sources/bytes/file_reader.ts";
import { remoteTotals } from "./src/sources/bytes/http.ts";

/** How to serve. */
export interface ServeOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8000, 0 picks a free one. */
  port?: number;
  /** Chunk compressor, "name" or "name:level"; default zstd. */
  codec?: string;
  /** v3 view: shard inner chunks into objects of about this many decoded bytes. */
  shardBytes?: number;
  /**
   * Bytes of encoded chunks and shards kept in memory, all datasets together;
   * default 32 MiB, or room for two of the largest shards when sharding.
   */
  cacheBytes?: number;
  /**
   * Which stored chunks go out untouched: "auto" (default: stored codecs to every client that
   * decodes them, a compatible view to GDAL before 3.11), "all", "compat" or "off".
   */
  passthrough?: PassThrough;
  /** Worker threads that transcode stored chunks; default one per core, 0 for none. */
  workers?: number;
  /** Stored chunks at least this large are streamed from the file (default 8 MiB). */
  streamBytes?: number;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called once listening, with the base URL. */
  onListen?: (baseUrl: string) => void;
  /** Every dataset never changes: chunks and metadata are cached for a year. */
  immutable?: boolean;
  /** Share the port with other server processes (Linux SO_REUSEPORT: the kernel spreads connections). */
  reusePort?: boolean;
  /** Bearer tokens that read every dataset (`--token-file`); a publication may add its own. */
  tokens?: readonly string[];
  /** Called with one line per request (`--log`). */
  log?: (line: string) => void;
  /** Answer `/metrics` (Prometheus text); default true. */
  metrics?: boolean;
  /** Datasets that failed to open before serving, named by `/health`. */
  failures?: readonly Failure[];
  /** PEM certificate chain and private key: serve HTTPS. */
  tls?: { cert: string; key: string };
}

/** The stores of a fixed dataset: one, or a stored and a compatible view under "auto". */
function fixedStores(dataset: Dataset, options: StoreOptions): Record<View, Store> {
  const views = viewOptions(options);
  const stored = createStore(dataset, views.stored);
  return {
    stored,
    compat: views.compat === views.stored ? stored : createStore(dataset, views.compat),
  };
}

/** A live directory as a catalog: an entry per file, made once and kept while the file is. */
function collectionCatalog(
  collection: LiveCollection,
  options: StoreOptions,
  immutable = false,
): Catalog {
  const made = new WeakMap<LiveDataset, Entry>();
  return {
    async entries() {
      const out = new Map<string, Entry>();
      for (const ds of await collection.datasets()) {
        let e = made.get(ds);
        if (!e) {
          e = liveEntry(ds, options, immutable);
          made.set(ds, e);
        }
        out.set(ds.name, e);
      }
      return out;
    },
  };
}

export type { Servable };

/** What `/metrics` reads at each scrape besides the request counters. */
function gauges(cache: ByteCache, transcoder: Transcoder | undefined): Gauge[] {
  return [
    {
      name: "zarrflask_chunk_cache_bytes",
      help: "Bytes held by the encoded-chunk cache.",
      values: () => [{ value: cache.size }],
    },
    {
      name: "zarrflask_open_files",
      help: "Files held open: by h5wasm, and for positional reads of stored chunks.",
      values: () => [
        { labels: { by: "h5wasm" }, value: openHandleCount() },
        { labels: { by: "reader" }, value: openReaderCount() },
      ],
    },
    {
      name: "zarrflask_transcode_queue_depth",
      help: "Transcode jobs waiting for a worker.",
      values: () => [{ value: transcoder?.queued ?? 0 }],
    },
    {
      name: "zarrflask_transcode_workers_busy",
      help: "Transcode workers busy with a job.",
      values: () => [{ value: transcoder?.busy ?? 0 }],
    },
    ...(["requests", "bytes", "retries", "failures"] as const).map((k) => ({
      name: `zarrflask_remote_${k}_total`,
      type: "counter" as const,
      help: `Remote (HTTP and S3) ${k} of this process's reads (h5wasm's worker not counted).`,
      values: () => [{ value: remoteTotals[k] }],
    })),
    {
      name: "process_resident_memory_bytes",
      help: "Resident memory of this server process.",
      values: () => [{ value: Deno.memoryUsage().rss }],
    },
  ];
}

function isPublication(x: Servable): x is Publication {
  return "dataset" in x;
}

function isCollection(x: Servable): x is LiveCollection {
  return "kind" in x && x.kind === "collection";
}

function isLive(x: Dataset | LiveDataset): x is LiveDataset {
  return "kind" in x && x.kind === "live";
}

/**
 * Serves `datasets` over HTTP until `signal` aborts and returns the running
 * server. Each entry is a dataset (fixed, or live: reopened when its files
 * change), a dataset with its own codec, sharding and pass-through options,
 * or a live directory whose files come and go.
 */
export function serve(datasets: Servable[], options: ServeOptions = {}): Http1Server {
  const workers = options.workers ?? navigator.hardwareConcurrency ?? 2;
  const transcoder = workers > 0 ? createTranscoder(workers) : undefined;
  // Range requests into a shard need the shard cached: room for two of the largest by default.
  const largestShard = Math.max(
    options.shardBytes ?? 0,
    ...datasets.map((d) => (isPublication(d) ? d.shardBytes ?? 0 : 0)),
  );
  const cache = byteCache(options.cacheBytes ?? Math.max(DEFAULT_CACHE_BYTES, 2 * largestShard));
  const storeOptions = (p: Partial<Publication>): StoreOptions => ({
    compressor: compressorFromSpec(p.codec ?? options.codec ?? DEFAULT_CODEC),
    shardBytes: p.shardBytes ?? options.shardBytes,
    passthrough: p.passthrough ?? options.passthrough,
    cache,
    transcoder,
    streamBytes: options.streamBytes,
  });
  const entries: Entry[] = [];
  const catalogs: Catalog[] = [];
  for (const d of datasets) {
    if (isCollection(d)) {
      catalogs.push(collectionCatalog(d, storeOptions({}), options.immutable));
      continue;
    }
    const p: Publication = isPublication(d) ? d : { dataset: d as Dataset | LiveDataset };
    const immutable = p.immutable ?? options.immutable ?? false;
    entries.push(
      isLive(p.dataset)
        ? liveEntry(p.dataset, storeOptions(p), immutable)
        : fixedEntry(fixedStores(p.dataset, storeOptions(p)), immutable),
    );
  }
  const own = new Map<string, readonly string[]>();
  for (const d of datasets) {
    if (isPublication(d) && d.tokens?.length) own.set(d.dataset.name, d.tokens);
  }
  const access: Access = { everywhere: options.tokens ?? [], own };
  const metrics = options.metrics === false ? undefined : createMetrics(gauges(cache, transcoder));
  let handler;
  try {
    const catalog = joinCatalogs([fixedCatalog(entries), ...catalogs]);
    handler = createHandler(catalog, {
      access,
      operations: { catalog, failures: options.failures, metrics, log: options.log },
    });
  } catch (e) {
    transcoder?.close();
    throw e;
  }
  const hostname = options.host ?? "127.0.0.1";
  const server = serveHttp1({
    hostname,
    port: options.port ?? 8000,
    reusePort: options.reusePort,
    signal: options.signal,
    tls: options.tls,
    onListen: ({ port }) => {
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      options.onListen?.(`${options.tls ? "https" : "http"}://${host}:${port}`);
    },
  }, handler);
  server.finished.then(() => transcoder?.close());
  return server;
}

if (import.meta.main) {
  const demos = (await demoPublications()).map((d) => d.publication);
  serve(demos, { onListen: (url) => console.log(`serving demo datasets at ${url}/`) });
}
