/**
 * `zarrflask serve --config`: a TypeScript module whose default export is the
 * datasets (built with the mod.ts API), or a JSON file for the declarative
 * cases (files, globs with a concat dimension, per-dataset codec and chunking).
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Dataset } from "../model/types.ts";
import { aggregate } from "../sources/virtual/aggregate.ts";
import { locationVersion, openFile } from "../sources/files.ts";
import { isRemote } from "../sources/bytes/source.ts";
import { displayUrl } from "../sources/bytes/http.ts";
import { expandGlob } from "./globs.ts";
import { sourceDefaults, type SourceOptions } from "../sources/bytes/source_for.ts";
import { coalesce, rechunk } from "../sources/virtual/rechunk.ts";
import { live, type LiveDataset } from "../sources/live.ts";
import { progress } from "./progress.ts";
import { compressorFromSpec } from "../codecs/registry.ts";
import type { PassThrough } from "../zarr/pipeline.ts";

/** A dataset with the publishing options that override the server's. */
export interface Publication {
  /** The dataset to publish: fixed, or live (following its files). */
  dataset: Dataset | LiveDataset;
  /** Never changes: chunks and metadata may be cached for a year. */
  immutable?: boolean;
  /** Its chunk compressor ("name" or "name:level"), instead of the server's. */
  codec?: string;
  /** Its v3 shard size in decoded bytes, instead of the server's. */
  shardBytes?: number;
  /** Its pass-through mode, instead of the server's. */
  passthrough?: PassThrough;
  /** Bearer tokens that read it (besides the server's `--token-file` tokens, which read all). */
  tokens?: readonly string[];
}

/** Parses a byte size such as "64MB", "16MiB", "1.5GB" or "4096". */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?)?b?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: "${text}" (try 64MB or 16MiB)`);
  const unit = (m[2] ?? "").toLowerCase();
  const base = unit.endsWith("i") ? 1024 : 1000;
  const power = { "": 0, k: 1, m: 2, g: 3 }[unit[0] ?? ""] ?? 0;
  return Math.round(Number(m[1]) * base ** power);
}

const FIELDS = new Set([
  "files",
  "concat",
  "codec",
  "chunks",
  "coalesce",
  "shard",
  "passthrough",
  "immutable",
  "tokens",
  "headers",
  "s3",
]);

/** Loads a config file (.json, or a .ts/.js module) into publications. */
export async function loadConfig(path: string): Promise<Publication[]> {
  const full = resolve(path);
  if (/\.(ts|js|mts|mjs)$/.test(full)) return await loadModule(full, path);
  let doc: unknown;
  try {
    doc = JSON.parse(await Deno.readTextFile(full));
  } catch (e) {
    throw new Error(`config ${path}: ${(e as Error).message}`);
  }
  const datasets = (doc as { datasets?: unknown })?.datasets;
  if (!datasets || typeof datasets !== "object" || Array.isArray(datasets)) {
    throw new Error(`config ${path}: needs {"datasets": {"NAME": {"files": ...}}}`);
  }
  const out: Publication[] = [];
  for (const [name, spec] of Object.entries(datasets as Record<string, unknown>)) {
    out.push(await fromJson(name, spec, dirname(full), path));
  }
  return out;
}

async function fromJson(
  name: string,
  spec: unknown,
  base: string,
  configPath: string,
): Promise<Publication> {
  const fail = (field: string, why: string) =>
    new Error(`config ${configPath}: dataset "${name}": field "${field}": ${why}`);
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) {
    throw new Error(`config ${configPath}: dataset "${name}" must be an object`);
  }
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!FIELDS.has(key)) throw fail(key, `unknown field (known: ${[...FIELDS].join(", ")})`);
  }
  const patterns = typeof s.files === "string" ? [s.files] : s.files;
  if (
    !Array.isArray(patterns) || patterns.length === 0 ||
    !patterns.every((p) => typeof p === "string")
  ) {
    throw fail("files", "must be a path, a glob, or a list of them");
  }
  const remote = remoteOptions(s, fail);
  const matchFiles = async () => {
    const files: string[] = [];
    for (const p of patterns as string[]) {
      const matched = await expandGlob(p, base, remote);
      if (matched.length === 0) throw fail("files", `"${p}" matched no files`);
      files.push(...matched);
    }
    return files;
  };
  const single = (patterns as string[]).length === 1 && !/[*?]/.test(patterns[0] as string) &&
    s.concat === undefined;
  if (s.concat !== undefined && typeof s.concat !== "string") {
    throw fail("concat", "must be a dimension name");
  }
  let codec: string | undefined;
  if (s.codec !== undefined) {
    if (typeof s.codec !== "string") throw fail("codec", 'must be a string such as "zstd:3"');
    try {
      compressorFromSpec(s.codec);
    } catch (e) {
      throw fail("codec", (e as Error).message);
    }
    codec = s.codec;
  }
  const size = (field: string): number | undefined => {
    if (s[field] === undefined) return undefined;
    try {
      return parseSize(String(s[field]));
    } catch (e) {
      throw fail(field, (e as Error).message);
    }
  };
  const shardBytes = size("shard");
  const coalesceBytes = size("coalesce");
  if (
    s.passthrough !== undefined &&
    !["auto", "all", "compat", "off"].includes(s.passthrough as string)
  ) {
    throw fail("passthrough", "must be auto, all, compat or off");
  }
  let chunks: Record<string, number> | undefined;
  if (s.chunks !== undefined) {
    const c = s.chunks as Record<string, unknown>;
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
      throw fail("chunks", 'must map dimension names to sizes, e.g. {"time": 24}');
    }
    for (const [dim, n] of Object.entries(c)) {
      if (!(Number.isInteger(n) && (n as number) >= 1)) {
        throw fail("chunks", `"${dim}" must be an integer >= 1`);
      }
    }
    chunks = c as Record<string, number>;
  }
  // Globs are matched anew whenever the files change, so an aggregation grows with its folder.
  let first = true;
  const open = async () => {
    const files = await matchFiles();
    // Start-up shows how far it got with many files; later reopens are quiet.
    const shown = first && files.length >= 100
      ? progress(`${name}: files`, files.length)
      : undefined;
    first = false;
    let dataset = single ? await openFile(files[0], { name, remote }) : await aggregate(files, {
      name,
      remote,
      concat: s.concat as string | undefined,
      onProgress: shown && ((done) => shown.update(done)),
    });
    shown?.finish();
    if (chunks) dataset = rechunk(dataset, chunks);
    if (coalesceBytes) dataset = coalesce(dataset, coalesceBytes);
    return dataset;
  };
  await matchFiles(); // names a glob that matches nothing, now
  const dataset = live({
    name,
    source: (patterns as string[]).map((p) => isRemote(p) ? displayUrl(p) : p).join(", "),
    version: async () => {
      const files = await matchFiles().catch(() => [] as string[]);
      const versions = await Promise.all(files.map((f) => locationVersion(f, remote)));
      return versions.every((v) => v === null)
        ? null
        : files.map((f, i) => `${f}@${versions[i]}`).join("|");
    },
    open,
  });
  try {
    (await dataset.acquire()).release();
  } catch (e) {
    throw fail("files", (e as Error).message.replace(/^config .*: field "files": /, ""));
  }
  if (s.immutable !== undefined && typeof s.immutable !== "boolean") {
    throw fail("immutable", "must be true or false");
  }
  const tokens = s.tokens;
  if (
    tokens !== undefined &&
    (!Array.isArray(tokens) || tokens.length === 0 ||
      !tokens.every((t) => typeof t === "string" && /^\S+$/.test(t)))
  ) throw fail("tokens", "must be a list of tokens (strings without spaces)");
  return {
    tokens: tokens as string[] | undefined,
    dataset,
    codec,
    shardBytes,
    passthrough: s.passthrough as PassThrough | undefined,
    immutable: s.immutable as boolean | undefined,
  };
}

/** A dataset's `headers` (for http(s) files) and `s3` settings, over the process-wide ones. */
function remoteOptions(
  s: Record<string, unknown>,
  fail: (field: string, why: string) => Error,
): SourceOptions {
  const defaults = sourceDefaults();
  const headers = s.headers;
  if (
    headers !== undefined &&
    (typeof headers !== "object" || headers === null || Array.isArray(headers) ||
      !Object.values(headers).every((v) => typeof v === "string"))
  ) throw fail("headers", 'must map header names to strings, e.g. {"Authorization": "Bearer ..."}');
  const s3 = s.s3 as Record<string, unknown> | undefined;
  const known = ["anonymous", "endpoint", "region", "profile"];
  if (s3 !== undefined) {
    if (typeof s3 !== "object" || s3 === null || Array.isArray(s3)) {
      throw fail("s3", `must be an object with ${known.join(", ")}`);
    }
    for (const k of Object.keys(s3)) {
      if (!known.includes(k)) throw fail("s3", `unknown field "${k}" (known: ${known.join(", ")})`);
    }
  }
  return {
    http: headers
      ? { ...defaults.http, headers: headers as Record<string, string> }
      : defaults.http,
    s3: { ...defaults.s3, ...(s3 as SourceOptions["s3"]) },
  };
}

function isDataset(x: unknown): x is Dataset {
  const d = x as Dataset;
  return !!d && typeof d === "object" && typeof d.name === "string" && d.root?.kind === "group";
}

async function loadModule(full: string, path: string): Promise<Publication[]> {
  const mod = await import(pathToFileURL(full).href);
  let value = mod.default;
  if (typeof value === "function") value = value();
  value = await value;
  if (value === undefined) throw new Error(`config ${path}: has no default export`);
  // An array, one dataset, or a record whose keys name the stores.
  const named = !Array.isArray(value) && !isDataset(value) && !(value as Publication)?.dataset;
  const items: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v])
    : named
    ? Object.entries(value as Record<string, unknown>)
    : [["default", value]];
  return await Promise.all(items.map(async ([key, raw]) => {
    const item = await raw;
    const pub: Publication | undefined = isDataset(item)
      ? { dataset: item }
      : isDataset((item as Publication)?.dataset)
      ? item as Publication
      : undefined;
    if (!pub) {
      throw new Error(`config ${path}: export ${key} is neither a dataset nor {dataset, ...}`);
    }
    return named ? { ...pub, dataset: { ...pub.dataset, name: key } } : pub;
  }));
}
