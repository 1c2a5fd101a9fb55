/**
 * Prometheus metrics of one server process: requests by kind and status, bytes sent, a latency
 * histogram (time to the response's headers), chunks by how they were made, and gauges read at
 * scrape time (cache, open files, worker queue, datasets, memory).
 */
import type { RequestKind } from "./request_kind.ts";

/** Seconds: the upper bounds of the latency histogram's buckets. */
export const LATENCY_BUCKETS = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

/** A gauge read when scraped: name, help, and its labelled values. */
export interface Gauge {
  /** The metric name. */
  name: string;
  /** "gauge" (default), or "counter" for a total kept elsewhere. */
  type?: "gauge" | "counter";
  /** Its HELP text. */
  help: string;
  /** Its current values, one per label set. */
  values(): { labels?: Record<string, string>; value: number }[];
}

/** One request as the metrics count it. */
export interface Observation {
  /** What was asked for. */
  kind: RequestKind;
  /** The response status. */
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** Time to the response's headers. */
  seconds: number;
  /** How a chunk was made (the x-zarrflask-chunk header), when it is one. */
  origin?: string;
}

/** The registry of one process. */
export interface Metrics {
  /** Counts one answered request. */
  observe(o: Observation): void;
  /** The Prometheus text exposition (format 0.0.4). */
  render(): string;
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) =>
    `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`
  );
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** A registry with `gauges` read at each scrape. */
export function createMetrics(gauges: Gauge[] = []): Metrics {
  const requests = new Map<string, number>(); // "kind|status"
  const bytes = new Map<string, number>(); // kind
  const chunks = new Map<string, number>(); // origin
  const hist = new Map<string, { counts: number[]; sum: number; n: number }>(); // kind
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  return {
    observe(o) {
      add(requests, `${o.kind}|${o.status}`, 1);
      add(bytes, o.kind, o.bytes);
      if (o.origin) add(chunks, o.origin, 1);
      let h = hist.get(o.kind);
      if (!h) hist.set(o.kind, h = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, n: 0 });
      LATENCY_BUCKETS.forEach((b, i) => {
        if (o.seconds <= b) h.counts[i]++;
      });
      h.sum += o.seconds;
      h.n++;
    },
    render() {
      const out: string[] = [];
      const head = (name: string, type: string, help: string) =>
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      head("zarrflask_requests_total", "counter", "Requests answered, by kind and status.");
      for (const [k, n] of requests) {
        const [kind, status] = k.split("|");
        out.push(`zarrflask_requests_total${labels({ kind, status })} ${n}`);
      }
      head("zarrflask_response_bytes_total", "counter", "Body bytes sent, by kind.");
      for (const [kind, n] of bytes) {
        out.push(`zarrflask_response_bytes_total${labels({ kind })} ${n}`);
      }
      head(
        "zarrflask_chunks_total",
        "counter",
        "Chunks sent, by origin: stored (passed through), transcoded, encoded, cached.",
      );
      for (const [origin, n] of chunks) {
        out.push(`zarrflask_chunks_total${labels({ origin })} ${n}`);
      }
      head(
        "zarrflask_chunk_cache_requests_total",
        "counter",
        "Encoded-chunk cache lookups: hits (cached) and misses (transcoded or encoded).",
      );
      const hits = chunks.get("cached") ?? 0;
      const misses = (chunks.get("transcoded") ?? 0) + (chunks.get("encoded") ?? 0);
      out.push(`zarrflask_chunk_cache_requests_total{result="hit"} ${hits}`);
      out.push(`zarrflask_chunk_cache_requests_total{result="miss"} ${misses}`);
      head(
        "zarrflask_request_duration_seconds",
        "histogram",
        "Time from the request to the response's headers, by kind.",
      );
      for (const [kind, h] of hist) {
        LATENCY_BUCKETS.forEach((b, i) =>
          out.push(
            `zarrflask_request_duration_seconds_bucket${labels({ kind, le: String(b) })} ${
              h.counts[i]
            }`,
          )
        );
        out.push(`zarrflask_request_duration_seconds_bucket${labels({ kind, le: "+Inf" })} ${h.n}`);
        out.push(`zarrflask_request_duration_seconds_sum${labels({ kind })} ${h.sum}`);
        out.push(`zarrflask_request_duration_seconds_count${labels({ kind })} ${h.n}`);
      }
      for (const g of gauges) {
        head(g.name, g.type ?? "gauge", g.help);
        for (const v of g.values()) out.push(`${g.name}${labels(v.labels ?? {})} ${v.value}`);
      }
      return out.join("\n") + "\n";
    },
  };
}
