/** Model data types and fill values in Zarr v2 (numpy typestr) terms. */
import type { DataType, FillValue } from "../model/types.ts";
import { complexParts, fillElementBytes } from "../model/values.ts";
import { JsonFloat, nonFiniteName } from "./json.ts";
import { scalarFields } from "./fields.ts";

/** A v2 `dtype`: a numpy typestr, or a list of scalar fields for structured types. */
export type V2DType = string | [string, V2DType][];

/** The v2 dtype; all fixed-size data is served little-endian. */
export function v2DType(dtype: DataType): V2DType {
  switch (dtype.kind) {
    case "bool":
      return "|b1";
    case "int":
    case "uint":
      return `${dtype.size === 1 ? "|" : "<"}${dtype.kind === "int" ? "i" : "u"}${dtype.size}`;
    case "float":
      return `<f${dtype.size}`;
    case "complex":
      return `<c${dtype.size}`;
    case "bytes":
      return `|S${dtype.size}`;
    case "string":
      return "|O";
    case "struct":
      return scalarFields(dtype.fields).map((f) => [f.name, v2DType(f.type)]);
  }
}

/**
 * A float fill value in Zarr JSON: finite as a float literal of the type's precision (GDAL
 * reads an integer literal as an integer and clamps it), NaN and ±Infinity as their names.
 */
export function jsonFloat(x: number, size: number): JsonFloat | string {
  return Number.isFinite(x) ? new JsonFloat(x, size === 8 ? 64 : 32) : nonFiniteName(x);
}

/** The v2 `fill_value`, encoded as zarr-python 2 writes it. */
export function v2FillValue(dtype: DataType, fill: FillValue): unknown {
  if (fill === null) return null;
  switch (dtype.kind) {
    case "bool":
      return Boolean(fill);
    case "int":
    case "uint":
      return typeof fill === "bigint" ? fill : Number(fill);
    case "float":
      return jsonFloat(Number(fill), dtype.size);
    case "complex": {
      const [re, im] = complexParts(fill);
      return [jsonFloat(re, dtype.size / 2), jsonFloat(im, dtype.size / 2)];
    }
    case "string":
      return null;
    case "bytes":
    case "struct":
      return base64(fillElementBytes(dtype, fill));
  }
}

/** Standard base64 of `bytes`, as Zarr writes fixed-bytes and structured fill values. */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
