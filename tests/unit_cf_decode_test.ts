import assert from "node:assert/strict";
import { cfDecoder } from "../src/model/cf_decode.ts";
import type { ArrayNode, Attributes, DataType, FillValue } from "../src/model/types.ts";

const array = (dtype: DataType, fillValue: FillValue, attrs: Attributes): ArrayNode => ({
  kind: "array",
  shape: [1],
  chunks: [1],
  dtype,
  dims: ["x"],
  attrs,
  fillValue,
  readChunk: () => new Uint8Array(0),
});

Deno.test("unit cfDecoder: a float32 fill value is compared as float32 holds it", () => {
  const { decode } = cfDecoder(array({ kind: "float", size: 4 }, -999.9, { missing_value: 1e20 }));
  assert.ok(Number.isNaN(decode(Math.fround(-999.9))), "the fill as a float32 holds it");
  assert.ok(Number.isNaN(decode(Math.fround(1e20))));
  assert.ok(Number.isNaN(decode(NaN)));
  assert.equal(decode(Math.fround(1.5)), 1.5);
});

Deno.test("unit cfDecoder: _Unsigned applies after the fill check and before unpacking", () => {
  const d = cfDecoder(
    array({ kind: "int", size: 1 }, -1, { _Unsigned: "true", scale_factor: 0.5, add_offset: 1 }),
  );
  assert.ok(Number.isNaN(d.decode(-1)), "255 as stored (-1) is the fill");
  assert.equal(d.decode(-2), 254 * 0.5 + 1);
  assert.equal(d.decode(3), 3 * 0.5 + 1);
  assert.equal(d.plain, false);
  const back = cfDecoder(array({ kind: "uint", size: 2 }, null, { _Unsigned: "false" }));
  assert.equal(back.decode(65535), -1);
  assert.equal(cfDecoder(array({ kind: "float", size: 8 }, null, {})).plain, true);
});
