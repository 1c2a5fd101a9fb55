/**
 * How stored values become the numbers a reader of the file sees, as xarray decodes them: fill
 * values, `missing_value` and NaN missing, `_Unsigned` applied, `scale_factor` and `add_offset`
 * unpacked. The quick look and pyramids both read values this one way.
 */
import { float16Value } from "./elements.ts";
import type { ArrayNode, ChunkData, DataType } from "./types.ts";
import { typedView } from "./values.ts";

/** The numbers of one chunk's stored elements, by flat index. */
export type Elements = (i: number) => number;

/** Whether values of `dtype` are numbers (floats, integers, booleans): drawn and averaged. */
export function hasNumbers(dtype: DataType): boolean {
  return ["bool", "int", "uint", "float"].includes(dtype.kind);
}

/** The stored elements of `data` (of `dtype`) as numbers: floats, integers, booleans. */
export function elementsOf(dtype: DataType, data: ChunkData): Elements {
  if (Array.isArray(data)) throw new Error("text has no numbers");
  if (dtype.kind === "float" && dtype.size === 2) {
    const bits = typedView({ kind: "uint", size: 2 }, data) as Uint16Array;
    return (i) => float16Value(bits[i]);
  }
  if (dtype.kind === "bool") return (i) => data[i];
  const view = typedView(dtype, data);
  if (view instanceof BigInt64Array || view instanceof BigUint64Array) {
    return (i) => Number(view[i]);
  }
  return (i) => view[i] as number;
}

/** A stored value's decoded number, NaN where it is missing; `plain` when that is the value. */
export interface CfDecoder {
  decode(raw: number): number;
  readonly plain: boolean;
}

function numbers(v: unknown): number[] {
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((x) =>
    typeof x === "number" ? [x] : typeof x === "bigint" ? [Number(x)] : []
  );
}

/** The CF decoding of `array`'s stored values. */
export function cfDecoder(array: ArrayNode): CfDecoder {
  const t = array.dtype;
  // A float32 variable holds its fill value rounded to float32.
  const f32 = t.kind === "float" && t.size === 4;
  const missing = new Set(
    [
      ...numbers(array.fillValue),
      ...numbers(array.attrs.missing_value),
      ...numbers(array.attrs._FillValue),
    ].map((m) => (f32 ? Math.fround(m) : m)),
  );
  const scale = numbers(array.attrs.scale_factor)[0] ?? 1;
  const offset = numbers(array.attrs.add_offset)[0] ?? 0;
  const sign = signFix(array);
  const value = scale !== 1 || offset !== 0
    ? (sign ? (v: number) => sign(v) * scale + offset : (v: number) => v * scale + offset)
    : sign;
  const [a = NaN, b = NaN, ...more] = missing;
  const isMissing = more.length
    ? (v: number) => v !== v || missing.has(v)
    : (v: number) => v !== v || v === a || v === b;
  return {
    decode: value ? (v) => (isMissing(v) ? NaN : value(v)) : (v) => (isMissing(v) ? NaN : v),
    plain: missing.size === 0 && !value,
  };
}

/**
 * netCDF's `_Unsigned` convention, as xarray decodes it: signed integers stored for unsigned
 * values ("true"), or the reverse ("false"). Missing values are compared before it, as stored.
 */
function signFix(array: ArrayNode): ((v: number) => number) | undefined {
  const t = array.dtype;
  const flag = String(array.attrs._Unsigned ?? "").toLowerCase();
  if ((t.kind !== "int" && t.kind !== "uint") || t.size === 8 || !flag) return undefined;
  const span = 2 ** (8 * t.size);
  if (t.kind === "int" && flag === "true") return (v) => (v < 0 ? v + span : v);
  if (t.kind === "uint" && flag === "false") return (v) => (v >= span / 2 ? v - span : v);
  return undefined;
}
