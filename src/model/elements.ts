/** Model element bytes (packed, little-endian) as JSON-like values: attributes, fill values. */
import { itemSize, product } from "./grid.ts";
import type { AttrValue, DataType } from "./types.ts";

/** The number a float16 bit pattern stands for. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/**
 * A fixed-length string's text: trailing NULs dropped as numpy does, UTF-8
 * when it is valid, else one character per byte (never a replacement character).
 */
export function fixedText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const b = bytes.subarray(0, end);
  try {
    return utf8.decode(b);
  } catch {
    return latin1.decode(b);
  }
}

/** An integer as a number when exact, else a bigint. */
function exactInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/** The value of the element at byte `at`: structs as objects, complex as {r, i}. */
export function elementValue(dtype: DataType, view: DataView, at: number): AttrValue {
  switch (dtype.kind) {
    case "bool":
      return view.getUint8(at) !== 0;
    case "int":
    case "uint": {
      const signed = dtype.kind === "int";
      switch (dtype.size) {
        case 1:
          return signed ? view.getInt8(at) : view.getUint8(at);
        case 2:
          return signed ? view.getInt16(at, true) : view.getUint16(at, true);
        case 4:
          return signed ? view.getInt32(at, true) : view.getUint32(at, true);
        case 8:
          return exactInt(signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
      }
      break;
    }
    case "float":
      if (dtype.size === 8) return view.getFloat64(at, true);
      if (dtype.size === 4) return view.getFloat32(at, true);
      return float16Value(view.getUint16(at, true));
    case "complex": {
      const half = dtype.size / 2;
      const get = (p: number) => half === 8 ? view.getFloat64(p, true) : view.getFloat32(p, true);
      return { r: get(at), i: get(at + half) };
    }
    case "bytes":
      return fixedText(new Uint8Array(view.buffer, view.byteOffset + at, dtype.size));
    case "struct": {
      const out: Record<string, AttrValue> = {};
      let p = at;
      for (const f of dtype.fields) {
        const size = itemSize(f.type);
        out[f.name] = f.shape ? nested(f.type, view, p, f.shape) : elementValue(f.type, view, p);
        p += size * product(f.shape ?? []);
      }
      return out;
    }
  }
  throw new Error(`no value for ${dtype.kind} elements`);
}

/** Elements from byte `at` as nested lists of `shape`. */
export function nested(
  dtype: DataType,
  view: DataView,
  at: number,
  shape: readonly number[],
): AttrValue {
  if (shape.length === 0) return elementValue(dtype, view, at);
  const inner = product(shape.slice(1)) * itemSize(dtype);
  return Array.from(
    { length: shape[0] },
    (_, i) => nested(dtype, view, at + i * inner, shape.slice(1)),
  );
}
