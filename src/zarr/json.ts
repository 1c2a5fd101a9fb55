/** Strict JSON for Zarr documents: no bare NaN/Infinity, exact 64-bit integers. */

/** How a non-finite number is spelled in Zarr JSON. */
export function nonFiniteName(x: number): string {
  return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

/** A JSON string literal in ASCII: zarr-python 2 decodes metadata as ASCII. */
function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Serialises like `JSON.stringify(value, null, 2)`, except that NaN and
 * ±Infinity become the strings Zarr uses, bigints are written exactly, and
 * every non-ASCII character is a `\uXXXX` escape.
 */
export function strictJson(value: unknown, indent = 2): string {
  return write(value, indent, "");
}

function write(v: unknown, indent: number, pad: string): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "number":
      if (Object.is(v, -0)) return "-0.0"; // JSON.stringify(-0) loses the sign
      return Number.isFinite(v) ? JSON.stringify(v) : `"${nonFiniteName(v)}"`;
    case "bigint":
      return v.toString();
    case "string":
      return quote(v);
    case "boolean":
      return JSON.stringify(v);
  }
  const inner = pad + " ".repeat(indent);
  const nl = indent ? "\n" : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[${nl}${v.map((x) => inner + write(x, indent, inner)).join(`,${nl}`)}${nl}${pad}]`;
  }
  if (ArrayBuffer.isView(v)) {
    return write(Array.from(v as unknown as ArrayLike<unknown>), indent, pad);
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  const sep = indent ? ": " : ":";
  const body = entries.map(([k, x]) => `${inner}${quote(k)}${sep}${write(x, indent, inner)}`);
  return `{${nl}${body.join(`,${nl}`)}${nl}${pad}}`;
}
