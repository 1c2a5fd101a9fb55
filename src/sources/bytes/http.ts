/**
 * Files on HTTP(S) servers that answer Range requests. The version is the ETag (or
 * Last-Modified); every read of an opened version carries If-Match (or If-Unmodified-Since), so
 * bytes of two versions are never mixed. Timeouts, resets, 429 and 5xx answers are retried with
 * backoff; then a read fails with 502 or 504 and its cause in one line, never a 404.
 */
import { UnavailableError } from "../../model/types.ts";
import { VersionChangedError } from "./version.ts";
import type { FileReader } from "./file_reader.ts";
import type { ByteSource, SourceStat } from "./source.ts";

/** How remote files are fetched. */
export interface HttpOptions {
  /** Headers sent with every request (a bearer token); never logged. */
  headers?: Record<string, string>;
  /** Attempts per request after the first (default 3). */
  retries?: number;
  /** Milliseconds before a request is given up and retried (default 30 s). */
  timeoutMs?: number;
  /** Requests in flight to one host at most (default 16). */
  perHost?: number;
  /** The fetch to use (tests, signing): defaults to the global one. */
  fetch?: (req: Request) => Promise<Response>;
  /** Counts requests and bytes (for measurement). */
  stats?: TransferStats;
  /** How the file is named in messages (default: the URL without user, password or query). */
  name?: string;
}

/** Requests and bytes a source has used. */
export interface TransferStats {
  /** HTTP requests made (each attempt and redirect counts). */
  requests: number;
  /** Body bytes received. */
  bytes: number;
}

/** The location as shown to people: no user, password or query (which may hold a signature). */
export function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Requests, bytes, retries and failures of every remote read in this process (for metrics). */
export const remoteTotals = { requests: 0, bytes: 0, retries: 0, failures: 0 };

// A simple counting semaphore per host.
const slots = new Map<string, { free: number; waiting: (() => void)[] }>();
async function acquire(host: string, limit: number): Promise<() => void> {
  let s = slots.get(host);
  if (!s) slots.set(host, s = { free: limit, waiting: [] });
  const slot = s;
  if (slot.free > 0) slot.free--;
  else await new Promise<void>((r) => slot.waiting.push(r));
  return () => {
    const next = slot.waiting.shift();
    if (next) next();
    else slot.free++;
  };
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const MAX_REDIRECTS = 3;

/** An answer that retrying will not change (403, no Range support, a wrong range). */
class Refusal extends Error {
  override name = "Refusal";
}

/**
 * One HTTP exchange with retries and same-scheme redirects: `consume` reads the answer (its
 * body too, so a connection that breaks mid-body is retried); UnavailableError at the end.
 */
async function exchange<T>(
  url: string,
  headers: Record<string, string>,
  options: HttpOptions,
  name: string,
  consume: (res: Response) => Promise<T>,
): Promise<T> {
  const doFetch = options.fetch ?? ((r: Request) => fetch(r));
  const retries = options.retries ?? 3;
  let lastCause = "";
  let timedOut = false;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      remoteTotals.retries++;
      await new Promise((r) => setTimeout(r, 100 * 4 ** (attempt - 1)));
    }
    let target = url;
    const release = await acquire(new URL(url).host, options.perHost ?? 16);
    try {
      for (let hop = 0;; hop++) {
        const res = await doFetch(
          new Request(target, {
            headers: { ...options.headers, ...headers },
            redirect: "manual",
            signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          }),
        );
        if (options.stats) options.stats.requests++;
        remoteTotals.requests++;
        if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
          await res.body?.cancel();
          const next = new URL(res.headers.get("location")!, target);
          if (next.protocol !== new URL(target).protocol || hop >= MAX_REDIRECTS) {
            throw new UnavailableError(
              502,
              `${name}: redirected to ${displayUrl(next.href)}: not followed (another scheme or ` +
                `more than ${MAX_REDIRECTS} redirects)`,
            );
          }
          target = next.href;
          continue;
        }
        if (RETRYABLE.has(res.status)) {
          await res.body?.cancel();
          lastCause = `${res.status} ${res.statusText}`.trim();
          timedOut = res.status === 504 || res.status === 408;
          break;
        }
        return await consume(res);
      }
    } catch (e) {
      if (e instanceof UnavailableError || e instanceof Refusal) throw e;
      const err = e as Error;
      timedOut = err.name === "TimeoutError";
      lastCause = timedOut ? `no answer in ${options.timeoutMs ?? 30_000} ms` : err.message;
    } finally {
      release();
    }
  }
  remoteTotals.failures++;
  throw new UnavailableError(
    timedOut ? 504 : 502,
    `${name}: ${lastCause} (after ${retries + 1} attempts)`,
  );
}

function versionOf(res: Response, size: number): string {
  const etag = res.headers.get("etag");
  if (etag && !etag.startsWith("W/")) return `etag:${etag}`;
  const lm = res.headers.get("last-modified");
  if (lm) return `lm:${lm}|${size}`;
  return `size:${size}`;
}

function conditions(version: string): Record<string, string> {
  if (version.startsWith("etag:")) return { "if-match": version.slice(5) };
  if (version.startsWith("lm:")) return { "if-unmodified-since": version.slice(3).split("|")[0] };
  return {};
}

async function body(res: Response, stats?: TransferStats): Promise<Uint8Array> {
  const b = new Uint8Array(await res.arrayBuffer());
  if (stats) stats.bytes += b.length;
  remoteTotals.bytes += b.length;
  return b;
}

/** The file at `url` on a server that answers Range requests. */
export function httpSource(url: string, options: HttpOptions = {}): ByteSource {
  const name = options.name ?? displayUrl(url);
  return {
    name,
    async stat(): Promise<SourceStat | null> {
      try {
        return await exchange(url, { range: "bytes=0-0" }, options, name, async (res) => {
          if (res.status === 404 || res.status === 410) {
            await res.body?.cancel();
            return null;
          }
          if (res.status === 401 || res.status === 403) {
            await res.body?.cancel();
            throw new Refusal(`${name}: ${res.status} ${res.statusText}: check the credentials`);
          }
          if (res.status === 200) {
            await res.body?.cancel();
            throw new Refusal(
              `${name}: does not answer Range requests (200 for a range of 1 byte)`,
            );
          }
          if (res.status !== 206) {
            await res.body?.cancel();
            throw new Refusal(`${name}: ${res.status} ${res.statusText}`);
          }
          await body(res, options.stats);
          const total = /\/(\d+)\s*$/.exec(res.headers.get("content-range") ?? "");
          if (!total) throw new Refusal(`${name}: a 206 without the file's size in Content-Range`);
          const size = Number(total[1]);
          return { version: versionOf(res, size), size };
        });
      } catch (e) {
        // Start-up errors are plain one-line errors; a Refusal is one already.
        if (e instanceof Refusal) throw new Error(e.message);
        throw e;
      }
    },
    reader(version: string): Promise<FileReader> {
      const pinned = conditions(version);
      return Promise.resolve({
        async read(offset: number, length: number): Promise<Uint8Array> {
          if (length === 0) return new Uint8Array(0);
          const range = `bytes=${offset}-${offset + length - 1}`;
          return await exchange(url, { range, ...pinned }, options, name, async (res) => {
            if (res.status === 412) {
              await res.body?.cancel();
              throw new VersionChangedError(name);
            }
            if (res.status === 404 || res.status === 410) {
              await res.body?.cancel();
              throw new VersionChangedError(name, "is gone");
            }
            if (res.status !== 206) {
              await res.body?.cancel();
              throw new UnavailableError(502, `${name}: ${res.status} for ${range}`);
            }
            const start = /^bytes (\d+)-/.exec(res.headers.get("content-range") ?? "");
            const bytes = await body(res, options.stats);
            if (!start || Number(start[1]) !== offset || bytes.length !== length) {
              throw new UnavailableError(
                502,
                `${name}: asked ${range}, got ${res.headers.get("content-range")} ` +
                  `(${bytes.length} bytes)`,
              );
            }
            return bytes;
          });
        },
        async stream(offset: number, length: number): Promise<ReadableStream<Uint8Array>> {
          const range = `bytes=${offset}-${offset + length - 1}`;
          // Retried until the answer starts; then its body streams as it arrives.
          return await exchange(url, { range, ...pinned }, options, name, async (res) => {
            if (res.status === 412) {
              await res.body?.cancel();
              throw new VersionChangedError(name);
            }
            const start = /^bytes (\d+)-(\d+)/.exec(res.headers.get("content-range") ?? "");
            if (
              res.status !== 206 || !start || Number(start[1]) !== offset ||
              Number(start[2]) !== offset + length - 1 || !res.body
            ) {
              await res.body?.cancel();
              throw new UnavailableError(502, `${name}: ${res.status} for ${range}`);
            }
            if (options.stats) options.stats.bytes += length;
            remoteTotals.bytes += length;
            return res.body;
          });
        },
        close: () => Promise.resolve(),
      });
    },
  };
}
