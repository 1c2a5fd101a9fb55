/**
 * The CF `_FillValue` attribute of a Zarr v3 array, as xarray writes it (its `FillValueCoder`).
 * For v3, xarray masks with this attribute, not with `fill_value`: a v3 `fill_value` is never
 * null, so it cannot say "no fill value". Floats are the base64 of a little-endian float64.
 */
import type { DataType, FillValue } from "../model/types.ts";
import { complexParts } from "../model/values.ts";
import { base64 } from "./dtype.ts";

/** Base64 of `x` as a little-endian float64. */
function float64Base64(x: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return base64(b);
}

/**
 * The v3 `_FillValue` attribute for an array of `dtype` whose fill value is `fill`, or undefined
 * when there is none or xarray cannot decode one for this type: its decoder refuses `|S` and
 * variable-length string types ("Failed to decode fill_value. Unsupported dtype StringDType()"),
 * which would refuse the whole dataset, and it has no structured types.
 */
export function v3FillAttribute(dtype: DataType, fill: FillValue): unknown {
  if (fill === null) return undefined;
  switch (dtype.kind) {
    case "bool":
      return Boolean(fill);
    case "int":
    case "uint":
      return typeof fill === "bigint" ? fill : Number(fill);
    case "float":
      return float64Base64(Number(fill));
    case "complex": {
      const [re, im] = complexParts(fill);
      return [float64Base64(re), float64Base64(im)];
    }
    case "string":
    case "bytes":
    case "struct":
      return undefined;
  }
}
