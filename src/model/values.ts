/** Conversions between typed arrays, model data types and element bytes. */
import { itemSize } from "./grid.ts";
import type { Attributes, DataType, FillValue } from "./types.ts";

/** A typed array that can back an in-memory variable. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** The model type a typed array holds. */
export function dtypeOfTypedArray(a: NumericArray): DataType {
  if (a instanceof Float32Array) return { kind: "float", size: 4 };
  if (a instanceof Float64Array) return { kind: "float", size: 8 };
  if (a instanceof BigInt64Array) return { kind: "int", size: 8 };
  if (a instanceof BigUint64Array) return { kind: "uint", size: 8 };
  const size = a.BYTES_PER_ELEMENT as 1 | 2 | 4;
  const signed = a instanceof Int8Array || a instanceof Int16Array || a instanceof Int32Array;
  return { kind: signed ? "int" : "uint", size };
}

/** The little-endian bytes of one element equal to `fill` (zeros for null). */
export function fillElementBytes(dtype: DataType, fill: FillValue): Uint8Array {
  const size = itemSize(dtype);
  const out = new Uint8Array(size);
  if (fill === null || dtype.kind === "string") return out;
  if (fill instanceof Uint8Array) {
    out.set(fill.subarray(0, size));
    return out;
  }
  const view = new DataView(out.buffer);
  switch (dtype.kind) {
    case "bool":
      out[0] = fill ? 1 : 0;
      break;
    case "int":
    case "uint":
      writeInt(view, dtype.kind === "int", dtype.size, fill as number | bigint);
      break;
    case "float":
      writeFloat(view, 0, dtype.size, Number(fill));
      break;
    case "complex": {
      const [re, im] = complexParts(fill);
      writeFloat(view, 0, dtype.size / 2, re);
      writeFloat(view, dtype.size / 2, dtype.size / 2, im);
      break;
    }
  }
  return out;
}

function writeInt(view: DataView, signed: boolean, size: number, v: number | bigint): void {
  if (size === 8) {
    const b = BigInt(v);
    if (signed) view.setBigInt64(0, b, true);
    else view.setBigUint64(0, b, true);
    return;
  }
  const n = Number(v);
  if (size === 1) signed ? view.setInt8(0, n) : view.setUint8(0, n);
  else if (size === 2) signed ? view.setInt16(0, n, true) : view.setUint16(0, n, true);
  else signed ? view.setInt32(0, n, true) : view.setUint32(0, n, true);
}

function writeFloat(view: DataView, at: number, size: number, v: number): void {
  if (size === 8) view.setFloat64(at, v, true);
  else if (size === 4) view.setFloat32(at, v, true);
  else view.setUint16(at, float16Bits(v), true);
}

/** IEEE half-precision bits of `v` (round to nearest even). */
export function float16Bits(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >> (1 - e);
    return sign | ((m + 0x1000) >> 13);
  }
  const rounded = (e << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  return sign | (rounded + (rest > 0x1000 || (rest === 0x1000 && (rounded & 1)) ? 1 : 0));
}

/** A model type by its Zarr v3 name ("float32", "int16", "bool", ...), for concise specs. */
export type TypeName =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  | "string";

/** The model type named `name`, or `name` itself when it is already a type. */
export function toDataType(name: TypeName | DataType): DataType {
  if (typeof name !== "string") return name;
  if (name === "bool" || name === "string") return { kind: name };
  const m = /^(u?int|float)(\d+)$/.exec(name);
  if (!m) throw new Error(`unknown data type "${name}"`);
  const size = Number(m[2]) / 8;
  const kind = m[1] === "float" ? "float" : m[1] === "uint" ? "uint" : "int";
  return { kind, size } as DataType;
}

/** A typed array over little-endian element bytes (copied when unaligned). */
export function typedView(dtype: DataType, bytes: Uint8Array): NumericArray {
  const aligned = (n: number) => bytes.byteOffset % n === 0 ? bytes : new Uint8Array(bytes); // copy to realign
  const b = aligned(itemSize(dtype) || 1);
  const len = (n: number) => b.byteLength / n;
  switch (dtype.kind) {
    case "bool":
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    case "float":
      if (dtype.size === 4) return new Float32Array(b.buffer, b.byteOffset, len(4));
      if (dtype.size === 8) return new Float64Array(b.buffer, b.byteOffset, len(8));
      break;
    case "int":
    case "uint": {
      const signed = dtype.kind === "int";
      switch (dtype.size) {
        case 1:
          return signed
            ? new Int8Array(b.buffer, b.byteOffset, len(1))
            : new Uint8Array(b.buffer, b.byteOffset, len(1));
        case 2:
          return signed
            ? new Int16Array(b.buffer, b.byteOffset, len(2))
            : new Uint16Array(b.buffer, b.byteOffset, len(2));
        case 4:
          return signed
            ? new Int32Array(b.buffer, b.byteOffset, len(4))
            : new Uint32Array(b.buffer, b.byteOffset, len(4));
        case 8:
          return signed
            ? new BigInt64Array(b.buffer, b.byteOffset, len(8))
            : new BigUint64Array(b.buffer, b.byteOffset, len(8));
      }
    }
  }
  throw new Error(`no typed array for ${JSON.stringify(dtype)}`);
}

/** A typed array's bytes (little-endian on every platform Deno runs on). */
export function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * A variable built in code: its attributes without `_FillValue`, and its fill value, which a
 * `_FillValue` attribute gives (netCDF's habit) when `fillValue` is not set. The model holds the
 * fill value in one place, as the file sources do; each Zarr format writes it its own way.
 */
export function withFillFromAttrs(
  attrs: Attributes | undefined,
  fillValue: FillValue | undefined,
): { attrs: Attributes; fillValue: FillValue } {
  const { _FillValue: attr, ...rest } = attrs ?? {};
  const scalar = typeof attr === "number" || typeof attr === "bigint" ||
    typeof attr === "string" || typeof attr === "boolean";
  return { attrs: rest, fillValue: fillValue ?? (scalar ? attr : null) };
}

/** A complex fill value as `[re, im]`; a real number (or none) has a zero imaginary part. */
export function complexParts(fill: FillValue): [number, number] {
  return Array.isArray(fill) ? fill : [Number(fill ?? 0), 0];
}
