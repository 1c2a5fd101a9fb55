/**
 * Objects in S3 and S3-compatible stores (MinIO, Ceph, R2, GCS interoperability) as byte
 * sources: HTTP range reads signed with SigV4 by aws4fetch, credentials found the usual way
 * (AWS_* variables, then ~/.aws/credentials and config with AWS_PROFILE), or anonymous.
 */
import { AwsClient } from "aws4fetch";
import { type HttpOptions, httpSource } from "./http.ts";
import type { ByteSource } from "./source.ts";

/** How S3 is reached. */
export interface S3Options {
  /** The store's endpoint (`--s3-endpoint`, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** The region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's, or us-east-1). */
  region?: string;
  /** Unsigned requests, for public buckets (`--s3-anonymous`). */
  anonymous?: boolean;
  /** The profile of ~/.aws/credentials and config (else AWS_PROFILE, or "default"). */
  profile?: string;
  /** Retries, timeouts, concurrency, as for HTTP. */
  http?: HttpOptions;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The bucket and key of an s3:// URL. */
export function parseS3(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m) throw new Error(`${url}: not an s3://bucket/key URL`);
  return { bucket: m[1], key: m[2] };
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: as if unset
  }
}

/** The sections of an INI file (~/.aws/credentials, ~/.aws/config). */
function ini(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const head = /^\[(.+)\]$/.exec(line);
    if (head) out.set(head[1].trim().replace(/^profile\s+/, ""), section = {});
    else if (section && line.includes("=")) {
      const at = line.indexOf("=");
      section[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return out;
}

async function awsFile(name: string): Promise<Map<string, Record<string, string>>> {
  const home = env("HOME") ?? env("USERPROFILE");
  const path = name === "credentials"
    ? env("AWS_SHARED_CREDENTIALS_FILE") ?? `${home}/.aws/credentials`
    : env("AWS_CONFIG_FILE") ?? `${home}/.aws/config`;
  try {
    return ini(await Deno.readTextFile(path));
  } catch {
    return new Map();
  }
}

/** Credentials and region as the AWS tools find them; null credentials when there are none. */
export async function s3Settings(
  options: S3Options = {},
): Promise<{ credentials: Credentials | null; region: string }> {
  const profile = options.profile ?? env("AWS_PROFILE") ?? "default";
  const config = (await awsFile("config")).get(profile) ?? {};
  const region = options.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ??
    config.region ?? "us-east-1";
  if (options.anonymous) return { credentials: null, region };
  const id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
  if (id && secret) {
    return {
      credentials: {
        accessKeyId: id,
        secretAccessKey: secret,
        sessionToken: env("AWS_SESSION_TOKEN"),
      },
      region,
    };
  }
  const file = (await awsFile("credentials")).get(profile) ?? {};
  const key = file.aws_access_key_id ?? config.aws_access_key_id;
  const sec = file.aws_secret_access_key ?? config.aws_secret_access_key;
  if (key && sec) {
    return {
      credentials: {
        accessKeyId: key,
        secretAccessKey: sec,
        sessionToken: file.aws_session_token ?? config.aws_session_token,
      },
      region,
    };
  }
  return { credentials: null, region };
}

/** The HTTPS URL of `bucket/key` (path style on a custom endpoint, virtual-hosted on AWS). */
export function objectUrl(bucket: string, key: string, region: string, endpoint?: string): string {
  const path = key.split("/").map(encodeURIComponent).join("/");
  if (endpoint) return `${endpoint.replace(/\/+$/, "")}/${encodeURIComponent(bucket)}/${path}`;
  return `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
}

/** A fetch that signs each request for S3 (or sends it unsigned without credentials). */
export function s3Fetch(options: S3Options): (req: Request) => Promise<Response> {
  let client: Promise<AwsClient | null> | undefined;
  return async (req) => {
    client ??= s3Settings(options).then(({ credentials, region }) =>
      credentials ? new AwsClient({ ...credentials, service: "s3", region }) : null
    );
    const c = await client;
    return fetch(c ? await c.sign(req) : req);
  };
}

function endpointOf(options: S3Options): string | undefined {
  return options.endpoint ?? env("AWS_ENDPOINT_URL_S3") ?? env("AWS_ENDPOINT_URL");
}

/** The object at `url` (s3://bucket/key). */
export function s3Source(url: string, options: S3Options = {}): ByteSource {
  const { bucket, key } = parseS3(url);
  const endpoint = endpointOf(options);
  // The region is needed for AWS's own host names only; custom endpoints take the path.
  const region = options.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1";
  return httpSource(objectUrl(bucket, key, region, endpoint), {
    ...options.http,
    name: `s3://${bucket}/${key}`,
    fetch: s3Fetch(options),
  });
}

/** The keys under `prefix` in `bucket` (ListObjectsV2, every page), as s3:// URLs. */
export async function listS3(
  bucket: string,
  prefix: string,
  options: S3Options = {},
): Promise<string[]> {
  const doFetch = s3Fetch(options);
  const { region } = await s3Settings(options);
  const base = objectUrl(bucket, "", region, endpointOf(options)).replace(/\/$/, "");
  const out: string[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ "list-type": "2", prefix });
    if (token) q.set("continuation-token", token);
    const res = await doFetch(new Request(`${base}/?${q}`));
    const xml = await res.text();
    if (!res.ok) {
      const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? res.statusText;
      throw new Error(`s3://${bucket}/${prefix}: listing failed: ${res.status} ${code}`);
    }
    for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) out.push(`s3://${bucket}/${unxml(m[1])}`);
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
      ? unxml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "")
      : undefined;
  } while (token);
  return out;
}

function unxml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
