/**
 * Writing an answer's body to the connection: a direct body as it is, a small static body with
 * its head in one write, anything else as its stream, by Content-Length or chunked.
 */
import { takeDirectBody } from "../direct_bodies.ts";
import { type Framing, plainAnswer, responseHead } from "./response_head.ts";

/** The side of a connection the writer uses. */
export interface Sink {
  write(bytes: Uint8Array): Promise<number>;
}

/** Bodies up to this size are read whole and sent with the head in one write. */
const SMALL = 64 << 10;

/** Writes all of `bytes`. */
export async function writeAll(sink: Sink, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await sink.write(bytes.subarray(at));
}

// Heads and small bodies are put together in buffers kept for the next answer: a fresh buffer
// per answer left ~100 MB of freed-but-kept malloc memory after a .zmetadata flood.
const SCRATCH = SMALL + (16 << 10);
const scratch: Uint8Array[] = [];
const encoder = new TextEncoder();

/**
 * `head` into `buf` as HTTP wants it, one byte per character (header values are Latin-1 byte
 * strings, as `Headers` holds them); -1 when it does not fit.
 */
function headBytes(head: string, buf: Uint8Array): number {
  if (head.length > buf.length) return -1;
  // ASCII, nearly always: the encoder's fast path gives the same bytes.
  if (!/[\u0080-\uffff]/.test(head)) return encoder.encodeInto(head, buf).written;
  for (let i = 0; i < head.length; i++) buf[i] = head.charCodeAt(i);
  return head.length;
}

function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Writes `head` and then `body`, in one write when they fit in a kept buffer. */
async function writeHeadAnd(sink: Sink, head: string, body?: Uint8Array): Promise<void> {
  const buf = scratch.pop() ?? new Uint8Array(SCRATCH);
  try {
    const written = headBytes(head, buf);
    if (written < 0) {
      await writeAll(sink, latin1(head)); // a head larger than any we make
      if (body?.length) await writeAll(sink, body);
      return;
    }
    if (body && body.length <= buf.length - written) {
      buf.set(body, written);
      await writeAll(sink, buf.subarray(0, written + body.length));
      return;
    }
    await writeAll(sink, buf.subarray(0, written));
    if (body?.length) await writeAll(sink, body);
  } finally {
    if (scratch.length < 32) scratch.push(buf);
  }
}

/**
 * Writes `res` as the answer to a request (`head`: a HEAD; `minor`: its HTTP/1.x version).
 * Resolves true when the connection may carry another request, false when it must end.
 */
export async function writeResponse(
  sink: Sink,
  res: Response,
  keepAlive: boolean,
  head: boolean,
  minor = 1,
): Promise<boolean> {
  const direct = takeDirectBody(res);
  try {
    // (`res.body` is not looked at unless needed: reading it turns a buffer body into a stream.)
    if (head || res.status === 204 || res.status === 304 || res.status < 200) {
      await writeHeadAnd(sink, responseHead(res, { kind: "none" }, keepAlive, head));
      return keepAlive;
    }
    if (direct) {
      await writeWhole(sink, res, direct.bytes, keepAlive);
      return keepAlive;
    }
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (declared <= SMALL || res.body === null) {
      const bytes = await res.bytes();
      if (Number.isFinite(declared) && bytes.length !== declared) {
        // A body that came out other than declared (a remote that ended early) is never sent as
        // if whole: the client gets a one-line 502 and the connection ends.
        await writeAll(
          sink,
          plainAnswer(502, `a body of ${bytes.length} bytes, ${declared} declared`),
        );
        return false;
      }
      await writeWhole(sink, res, bytes, keepAlive);
      return keepAlive;
    }
    return await writeStream(
      sink,
      res,
      Number.isFinite(declared) ? declared : -1,
      keepAlive,
      minor,
    );
  } finally {
    direct?.done?.();
  }
}

/** A body known whole: its head and it, in one write when small. */
async function writeWhole(
  sink: Sink,
  res: Response,
  bytes: Uint8Array,
  keepAlive: boolean,
): Promise<void> {
  const head = responseHead(res, { kind: "length", length: bytes.length }, keepAlive, false);
  await writeHeadAnd(sink, head, bytes);
}

const CRLF = new Uint8Array([13, 10]);
const LAST_CHUNK = new TextEncoder().encode("0\r\n\r\n");

/**
 * A streamed body: exactly `length` bytes when declared (a body that runs short or long ends the
 * connection short of it). Undeclared, a body that is one piece (a buffer or text) gets its length; a longer
 * one goes chunked, or to HTTP/1.0 until the connection closes.
 */
async function writeStream(
  sink: Sink,
  res: Response,
  length: number,
  keepAlive: boolean,
  minor: number,
): Promise<boolean> {
  const reader = res.body!.getReader();
  let sent = 0;
  try {
    let first = await reader.read();
    if (length < 0) {
      const second = first.done ? first : await reader.read();
      if (second.done) {
        await writeWhole(sink, res, first.value ?? new Uint8Array(0), keepAlive);
        return keepAlive;
      }
      const framing: Framing = minor >= 1 ? { kind: "chunked" } : { kind: "none" };
      if (framing.kind === "none") keepAlive = false;
      await writeHeadAnd(sink, responseHead(res, framing, keepAlive, false));
      const piece = (bytes: Uint8Array) => framing.kind === "chunked" ? chunkOf(bytes) : bytes;
      await writeAll(sink, piece(first.value!));
      for (
        let next: ReadableStreamReadResult<Uint8Array> = second;
        !next.done;
        next = await reader.read()
      ) {
        if (next.value.length) await writeAll(sink, piece(next.value));
      }
      if (framing.kind === "chunked") await writeAll(sink, LAST_CHUNK);
      return keepAlive;
    }
    await writeHeadAnd(sink, responseHead(res, { kind: "length", length }, keepAlive, false));
    for (; !first.done; first = await reader.read()) {
      // More than declared cannot be framed: nothing of it is sent, and the connection ends
      // short of the declared length, so the client never takes it for a whole answer.
      if (sent + first.value.length > length) return false;
      await writeAll(sink, first.value);
      sent += first.value.length;
    }
    return keepAlive && sent === length;
  } catch {
    // A body that failed mid-way (a file cut short, a remote that went away): the client sees
    // the connection end before the declared length, never a complete-looking wrong answer.
    await reader.cancel().catch(() => {});
    return false;
  }
}

/** One piece of a chunked body, framed. */
function chunkOf(bytes: Uint8Array): Uint8Array {
  const size = new TextEncoder().encode(`${bytes.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + bytes.length + 2);
  out.set(size);
  out.set(bytes, size.length);
  out.set(CRLF, size.length + bytes.length);
  return out;
}
