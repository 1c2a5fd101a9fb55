/**
 * JSON for Zarr documents: ASCII, exact 64-bit integers, floats that stay floats, and NaN
 * spelled as each client reads it.
 */

/**
 * How a non-finite number in an attribute is written: "strings" as the strings "NaN",
 * "Infinity" and "-Infinity" (strict JSON: JavaScript's JSON.parse, zarrita, browsers);
 * "bare" as the bare tokens NaN, Infinity and -Infinity, as Python's json writes and reads
 * them (zarr-python then returns floats, not strings).
 */
export type NonFinite = "strings" | "bare";

/** How a non-finite number is spelled in Zarr JSON. */
export function nonFiniteName(x: number): string {
  return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

/** A number that is written as a JSON float (`5.0`, `1e+20`), never as an integer literal. */
export class JsonFloat {
  /** `value` written as the shortest float literal that reads back to it at `bits` bits. */
  constructor(readonly value: number, readonly bits: 32 | 64 = 64) {}
}

/** The shortest decimal that reads back to `x` as a float of `bits` bits, always with `.` or `e`. */
export function floatLiteral(x: number, bits: 32 | 64 = 64): string {
  if (Object.is(x, -0)) return "-0.0";
  let digits = x.toPrecision(17);
  for (let p = 1; p <= 17; p++) {
    const s = x.toPrecision(p);
    const back = Number(s);
    if (bits === 32 ? Math.fround(back) === Math.fround(x) : back === x) {
      digits = s;
      break;
    }
  }
  // Python's repr: an exponent from 1e16 up and below 1e-4, plain digits between.
  const v = Number(digits);
  const abs = Math.abs(v);
  if (v !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mant, exp] = v.toExponential(significant(digits) - 1).split("e");
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const plain = String(v);
  return /[.e]/.test(plain) ? plain : `${plain}.0`;
}

/** The number of significant digits in a `toPrecision` string. */
function significant(s: string): number {
  const m = s.replace(/^-/, "").split("e")[0].replace(".", "").replace(/^0+/, "");
  return Math.max(1, m.replace(/0+$/, "").length);
}

/** A JSON string literal in ASCII: zarr-python 2 decodes metadata as ASCII. */
function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Serialises like `JSON.stringify(value, null, 2)`, except that bigints are written exactly,
 * `JsonFloat`s as float literals, every non-ASCII character as a `\uXXXX` escape, and NaN and
 * ±Infinity as `nonFinite` says (strings by default).
 */
export function strictJson(value: unknown, indent = 2, nonFinite: NonFinite = "strings"): string {
  return write(value, indent, "", nonFinite);
}

function number(x: number, bits: 32 | 64 | undefined, nonFinite: NonFinite): string {
  if (!Number.isFinite(x)) return nonFinite === "bare" ? nonFiniteName(x) : `"${nonFiniteName(x)}"`;
  if (bits) return floatLiteral(x, bits);
  if (Object.is(x, -0)) return "-0.0"; // JSON.stringify(-0) loses the sign
  return JSON.stringify(x);
}

function write(v: unknown, indent: number, pad: string, nonFinite: NonFinite): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "number":
      return number(v, undefined, nonFinite);
    case "bigint":
      return v.toString();
    case "string":
      return quote(v);
    case "boolean":
      return JSON.stringify(v);
  }
  if (v instanceof JsonFloat) return number(v.value, v.bits, nonFinite);
  const inner = pad + " ".repeat(indent);
  const nl = indent ? "\n" : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const items = v.map((x) => inner + write(x, indent, inner, nonFinite));
    return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  }
  if (ArrayBuffer.isView(v)) {
    return write(Array.from(v as unknown as ArrayLike<unknown>), indent, pad, nonFinite);
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  const sep = indent ? ": " : ":";
  const body = entries.map(([k, x]) =>
    `${inner}${quote(k)}${sep}${write(x, indent, inner, nonFinite)}`
  );
  return `{${nl}${body.join(`,${nl}`)}${nl}${pad}}`;
}
