/** numcodecs' `vlen-utf8` (v3 `vlen-utf8`): how variable-length strings become chunk bytes. */

const encoder = new TextEncoder();

/** numcodecs' vlen-utf8 layout: item count, then each item's length and UTF-8 bytes. */
export function encodeVlenUtf8(items: readonly string[]): Uint8Array {
  const parts = items.map((s) => encoder.encode(s));
  const total = 4 + parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length, true);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}
