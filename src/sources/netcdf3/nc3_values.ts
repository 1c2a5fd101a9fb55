/** netCDF-3 values in model terms: types, big-endian bytes swapped, attributes, fill values. */
import type { Attributes, AttrValue, DataType, FillValue } from "../../model/types.ts";
import { fixedText, nested } from "../../model/elements.ts";
import { type Nc3Attribute, NC_TYPE, type NcType } from "./header.ts";

/** The model type of each netCDF-3 type. */
export const MODEL: Record<NcType, DataType> = {
  1: { kind: "int", size: 1 },
  2: { kind: "bytes", size: 1 },
  3: { kind: "int", size: 2 },
  4: { kind: "int", size: 4 },
  5: { kind: "float", size: 4 },
  6: { kind: "float", size: 8 },
  7: { kind: "uint", size: 1 },
  8: { kind: "uint", size: 2 },
  9: { kind: "uint", size: 4 },
  10: { kind: "int", size: 8 },
  11: { kind: "uint", size: 8 },
};

/** Big-endian elements of `size` bytes to little-endian, in place (word-wise when aligned). */
export function swap(bytes: Uint8Array, size: number): Uint8Array {
  if (size === 1) return bytes;
  const n = Math.floor(bytes.length / size);
  if (bytes.byteOffset % 4 === 0 && (size === 4 || size === 8)) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset, n * (size / 4));
    for (let i = 0; i < w.length; i++) {
      const x = w[i];
      w[i] = (x >>> 24) | ((x >>> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
    }
    if (size === 8) {
      for (let i = 0; i < w.length; i += 2) {
        const t = w[i];
        w[i] = w[i + 1];
        w[i + 1] = t;
      }
    }
    return bytes;
  }
  if (size === 2 && bytes.byteOffset % 2 === 0) {
    const h = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    for (let i = 0; i < n; i++) h[i] = (h[i] >>> 8) | ((h[i] & 0xff) << 8);
    return bytes;
  }
  for (let i = 0; i < n * size; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
  return bytes;
}

/** An attribute's value: text for char, numbers (bigint beyond 2^53) otherwise; length 1 is a scalar. */
export function attributeValue(a: Nc3Attribute): AttrValue {
  if (a.type === 2) return fixedText(a.bytes);
  const type = MODEL[a.type];
  const le = swap(a.bytes.slice(), NC_TYPE[a.type].size);
  const view = new DataView(le.buffer);
  const values = nested(type, view, 0, [a.count]) as AttrValue[];
  return values.length === 1 ? values[0] : values;
}

/** A variable's or the file's attributes, and which of them hold floats. */
export function attributes(list: Nc3Attribute[]): { attrs: Attributes; floatAttrs: string[] } {
  const attrs: Attributes = {};
  for (const a of list) if (a.name !== "_FillValue") attrs[a.name] = attributeValue(a);
  const floatAttrs = list.filter((a) => a.type === 5 || a.type === 6).map((a) => a.name);
  return { attrs, floatAttrs: floatAttrs.filter((n) => n in attrs) };
}

/** A `_FillValue` attribute as the variable's fill value. */
export function toFill(dtype: DataType, a: Nc3Attribute): FillValue {
  // a char fill is its byte as stored (its text may be a latin-1 reading)
  if (dtype.kind === "bytes") return a.bytes.slice(0, 1);
  const v = attributeValue(a);
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === "bigint" ? x : Number(x);
}
