import assert from "node:assert/strict";
import type { DataType } from "../src/model/types.ts";
import { itemSize } from "../src/model/grid.ts";
import { v2DType } from "../src/zarr/dtype.ts";
import { v3DType } from "../src/zarr/v3.ts";

const f4 = { kind: "float", size: 4 } as const;
const u1 = { kind: "uint", size: 1 } as const;
/** PyTables' and h5py's array members: ("f", "<f4", (2,)), nested ("m", "u1", (2, 2)). */
const withArrays: DataType = {
  kind: "struct",
  fields: [
    { name: "f", type: f4, shape: [2] },
    { name: "n", type: { kind: "int", size: 2 } },
    { name: "in", type: { kind: "struct", fields: [{ name: "m", type: u1, shape: [2, 2] }] } },
  ],
};

Deno.test("subarray fields are declared one scalar field per element, in C order", () => {
  assert.deepEqual(v2DType(withArrays), [
    ["f[0]", "<f4"],
    ["f[1]", "<f4"],
    ["n", "<i2"],
    ["in", [["m[0,0]", "|u1"], ["m[0,1]", "|u1"], ["m[1,0]", "|u1"], ["m[1,1]", "|u1"]]],
  ]);
  const v3 = v3DType(withArrays) as unknown as { configuration: { fields: unknown[][] } };
  assert.deepEqual(v3.configuration.fields.map((f) => f[0]), ["f[0]", "f[1]", "n", "in"]);
  assert.ok(v3.configuration.fields.every((f) => f.length === 2), "no subarray shapes");
  // the element bytes stay as they were: 2*4 + 2 + 4
  assert.equal(itemSize(withArrays), 14);
});
