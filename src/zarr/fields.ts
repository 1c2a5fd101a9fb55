/**
 * Structured types as Zarr clients can declare them: a subarray field becomes one scalar field
 * per element, named `f[i]` or `m[i,j]`.
 */
import type { StructField } from "../model/types.ts";

// zarr-python 3 refuses a subarray field in v2 ("No Zarr data type found") and in v3 ("too many
// values to unpack"), and with it the whole group. The elements of a subarray are packed in C
// order where the field stood, so one scalar field per element keeps every chunk's bytes, and
// pass-through, unchanged: only the declaration differs.

/** The fields with each subarray field spelled out as scalar fields, recursively. */
export function scalarFields(fields: readonly StructField[]): StructField[] {
  return fields.flatMap((f) => {
    const type = f.type.kind === "struct"
      ? { kind: "struct" as const, fields: scalarFields(f.type.fields) }
      : f.type;
    if (!f.shape) return [{ name: f.name, type }];
    return elementIndices(f.shape).map((i) => ({ name: `${f.name}[${i.join(",")}]`, type }));
  });
}

/** Every index of `shape` in C order. */
function elementIndices(shape: readonly number[]): number[][] {
  return shape.reduce<number[][]>(
    (acc, n) => acc.flatMap((i) => Array.from({ length: n }, (_, k) => [...i, k])),
    [[]],
  );
}
