/**
 * Object header messages (version 1 and 2 headers, with continuation
 * blocks), and attribute values as stored, for what h5wasm cannot read.
 */
import type { FileReader } from "../bytes/file_reader.ts";
import { cursor, type Superblock } from "./superblock.ts";

/** Message types we read. */
export const MESSAGE = { layout: 0x08, continuation: 0x10, attribute: 0x0c } as const;

/** One object header message. */
export interface HeaderMessage {
  type: number;
  body: Uint8Array;
}

/** Every message of the object header at `address`, or why it cannot be read. */
export async function readMessages(
  file: FileReader,
  sb: Superblock,
  address: number,
): Promise<HeaderMessage[] | string> {
  const out: HeaderMessage[] = [];
  const blocks: { at: number; length: number }[] = [];
  const head = await file.read(address, 64);
  const v2 = String.fromCharCode(...head.subarray(0, 4)) === "OHDR";
  let trackOrder = false;
  if (v2) {
    const flags = head[5];
    let p = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeBytes = 1 << (flags & 3);
    let chunk0 = 0;
    for (let i = 0; i < sizeBytes; i++) chunk0 += head[p + i] * 2 ** (8 * i);
    p += sizeBytes;
    blocks.push({ at: address + p, length: chunk0 });
    trackOrder = (flags & 0x04) !== 0;
  } else {
    if (head[0] !== 1) return `object header version ${head[0]}`;
    // Version 1: 16-byte prefix, 8-byte aligned messages.
    blocks.push({ at: address + 16, length: new DataView(head.buffer).getUint32(8, true) });
  }
  for (let b = 0; b < blocks.length && b < 1000; b++) {
    const { at, length } = blocks[b];
    const buf = await file.read(at, length);
    const c = cursor(buf, sb);
    // v2: chunk #0's size covers its messages only; a continuation block ends in a checksum
    const end = v2 ? (b === 0 ? length : length - 4) : length;
    while (c.pos + (v2 ? 4 : 8) <= end) {
      let type: number, size: number;
      if (v2) {
        type = c.u8();
        size = c.u16();
        c.skip(trackOrder ? 3 : 1);
      } else {
        type = c.u16();
        size = c.u16();
        c.skip(4);
      }
      const body = c.pos;
      if (type === MESSAGE.continuation) {
        const cont = cursor(buf, sb, body);
        const addr = cont.addr(), len = cont.len();
        blocks.push(v2 ? { at: addr + 4, length: len - 4 } : { at: addr, length: len }); // v2: skip "OCHK"
      } else out.push({ type, body: buf.subarray(body, body + size) });
      c.pos = body + size;
    }
  }
  return out;
}

/**
 * The stored bytes (file byte order) of attribute `name` held in the object
 * header at `address`: `nbytes` from the end of its attribute message.
 * A reason string when the attribute lives elsewhere (dense storage).
 */
export async function storedAttribute(
  file: FileReader,
  sb: Superblock,
  address: number,
  name: string,
  nbytes: number,
): Promise<Uint8Array | string> {
  const messages = await readMessages(file, sb, address);
  if (typeof messages === "string") return messages;
  const wanted = new TextEncoder().encode(name);
  for (const m of messages) {
    if (m.type !== MESSAGE.attribute) continue;
    const view = new DataView(m.body.buffer, m.body.byteOffset, m.body.byteLength);
    const version = m.body[0];
    const nameSize = view.getUint16(2, true), typeSize = view.getUint16(4, true);
    const spaceSize = view.getUint16(6, true);
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    const nameAt = version === 3 ? 9 : 8;
    const stored = m.body.subarray(nameAt, nameAt + nameSize - 1); // the size counts a NUL
    if (stored.length !== wanted.length || !stored.every((b, i) => b === wanted[i])) continue;
    const dataAt = nameAt + pad(nameSize) + pad(typeSize) + pad(spaceSize);
    if (dataAt + nbytes > m.body.length) return "its stored value is shorter than its type";
    return m.body.slice(dataAt, dataAt + nbytes);
  }
  return "stored outside the object header (dense attribute storage)";
}
