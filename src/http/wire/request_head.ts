/** HTTP/1.1 request heads parsed from bytes (RFC 9112), with the limits a public server needs. */

/** A request head, as read off the connection. */
export interface RequestHead {
  method: string;
  /** The request target as sent (origin-form or absolute-form). */
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  /** Lower-case names, in order. */
  headers: [string, string][];
  /** Declared body length (0 when none). */
  contentLength: number;
  /** A chunked request body follows (we read none: the connection closes after the answer). */
  chunked: boolean;
  /** The client keeps the connection open after this answer. */
  keepAlive: boolean;
}

/** A request the server answers itself, with this status, and then closes the connection. */
export class WireError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Largest request head accepted (bytes). */
export const MAX_HEAD = 16 << 10;
const MAX_HEADERS = 100;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Where the head in `buf[0..n)` ends (index after its blank line), or -1 if not yet whole. */
export function headEnd(buf: Uint8Array, n: number): number {
  for (let i = 3; i < n; i++) {
    if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) return i + 1;
  }
  return -1;
}

/** The head in `bytes` (up to and including its blank line); throws WireError when malformed. */
export function parseHead(bytes: Uint8Array): RequestHead {
  // Latin-1, byte for byte: header values are bytes, and non-ASCII targets are re-encoded below.
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  const lines = text.slice(0, -4).split("\r\n");
  const first = lines[0].split(" ");
  if (first.length !== 3 || !TOKEN.test(first[0])) {
    throw new WireError(400, "malformed request line");
  }
  const [method, rawTarget, version] = first;
  const v = /^HTTP\/1\.([01])$/.exec(version);
  if (!v) {
    throw /^HTTP\/\d/.test(version)
      ? new WireError(505, `${version} is not served: HTTP/1.1 only`)
      : new WireError(400, "malformed request line");
  }
  if (lines.length - 1 > MAX_HEADERS) throw new WireError(431, "too many header fields");
  const headers: [string, string][] = [];
  let contentLength = -1, chunked = false, connection = "";
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) throw new WireError(400, "malformed header field");
    const value = line.slice(colon + 1).trim();
    if (!VALUE.test(value)) throw new WireError(400, "malformed header field");
    const lower = name.toLowerCase();
    headers.push([lower, value]);
    if (lower === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (contentLength >= 0 && Number(value) !== contentLength)) {
        throw new WireError(400, "malformed content-length");
      }
      contentLength = Number(value);
    } else if (lower === "transfer-encoding") {
      chunked = true;
    } else if (lower === "connection") {
      connection += `${value.toLowerCase()},`;
    }
  }
  if (chunked && contentLength >= 0) {
    throw new WireError(400, "both content-length and transfer-encoding");
  }
  const minor = Number(v[1]);
  const keepAlive = minor === 1
    ? !/(^|[\s,])close,/.test(connection)
    : /keep-alive,/.test(connection);
  return {
    method,
    target: percentEncodeHigh(rawTarget),
    minor,
    headers,
    contentLength: Math.max(0, contentLength),
    chunked,
    keepAlive,
  };
}

/** A target with raw non-ASCII bytes (sent as UTF-8 by some clients) percent-encoded. */
function percentEncodeHigh(target: string): string {
  if (!/[^\x21-\x7e]/.test(target)) return target;
  let out = "";
  for (const ch of target) {
    const c = ch.charCodeAt(0);
    if (c <= 0x20 || c === 0x7f) throw new WireError(400, "malformed request target");
    out += c > 0x7e ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : ch;
  }
  return out;
}

/** The URL a head names, on a server reached as `scheme://fallbackHost`. */
export function requestUrl(head: RequestHead, scheme: string, fallbackHost: string): string {
  if (head.target.startsWith("/")) {
    const host = head.headers.find(([k]) => k === "host")?.[1] ?? fallbackHost;
    if (!/^[A-Za-z0-9.\-_~%:[\]]+$/.test(host)) throw new WireError(400, "malformed host");
    return `${scheme}://${host}${head.target}`;
  }
  if (/^https?:\/\//i.test(head.target)) return head.target;
  throw new WireError(400, "malformed request target");
}
