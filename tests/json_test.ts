/** Zarr JSON: floats stay floats, NaN spelled per client, v3 `_FillValue` as xarray writes it. */
import assert from "node:assert/strict";
import { floatLiteral, JsonFloat, strictJson } from "../src/zarr/json.ts";
import { v2FillValue } from "../src/zarr/dtype.ts";
import { v3FillAttribute } from "../src/zarr/fill_attr.ts";
import { typedAttrs } from "../src/zarr/attrs.ts";
import type { GroupNode } from "../src/model/types.ts";

Deno.test("float literals: the shortest that reads back, as Python's repr spells it", () => {
  assert.equal(floatLiteral(1e20), "1e+20");
  assert.equal(floatLiteral(Math.fround(1e20), 32), "1e+20");
  assert.equal(floatLiteral(Math.fround(1e20), 64), "1.0000000200408773e+20");
  assert.equal(floatLiteral(5), "5.0");
  assert.equal(floatLiteral(-999, 32), "-999.0");
  assert.equal(floatLiteral(Math.fround(0.1), 32), "0.1");
  assert.equal(floatLiteral(1e-5), "1e-05");
  assert.equal(floatLiteral(1e15), "1000000000000000.0");
  assert.equal(floatLiteral(1e16), "1e+16");
  assert.equal(floatLiteral(Math.fround(9.969209968386869e36), 32), "9.96921e+36");
  assert.equal(floatLiteral(-0), "-0.0");
  for (const x of [Math.PI, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-7]) {
    assert.equal(Number(floatLiteral(x)), x);
  }
  for (const x of [Math.fround(Math.PI), Math.fround(3.4028234663852886e38)]) {
    assert.equal(Math.fround(Number(floatLiteral(x, 32))), x);
  }
});

Deno.test("a float fill value is a JSON float; NaN bare only when asked", () => {
  const fill = v2FillValue({ kind: "float", size: 4 }, Math.fround(1e20));
  assert.equal(strictJson({ fill_value: fill }, 0), '{"fill_value":1e+20}');
  assert.equal(strictJson(v2FillValue({ kind: "float", size: 8 }, NaN), 0), '"NaN"');
  assert.equal(strictJson(v2FillValue({ kind: "int", size: 2 }, -999), 0), "-999");
  const attrs = { valid_min: NaN, r: [1.5, Infinity, -Infinity], f: new JsonFloat(5) };
  assert.equal(
    strictJson(attrs, 0),
    '{"valid_min":"NaN","r":[1.5,"Infinity","-Infinity"],"f":5.0}',
  );
  assert.equal(
    strictJson(attrs, 0, "bare"),
    '{"valid_min":NaN,"r":[1.5,Infinity,-Infinity],"f":5.0}',
  );
  // A fill value NaN stays the string the Zarr specs give, even for Python.
  assert.equal(
    strictJson({ fill_value: v2FillValue({ kind: "float", size: 4 }, NaN) }, 0, "bare"),
    '{"fill_value":"NaN"}',
  );
});

Deno.test("v3 _FillValue attributes are what xarray's FillValueCoder writes", () => {
  // base64 of <f8 -999.0, as struct.pack("<d", -999.0)
  assert.equal(v3FillAttribute({ kind: "float", size: 4 }, -999), "AAAAAAA4j8A=");
  assert.equal(v3FillAttribute({ kind: "float", size: 8 }, NaN), "AAAAAAAA+H8=");
  assert.equal(v3FillAttribute({ kind: "int", size: 2 }, -1), -1);
  assert.equal(
    v3FillAttribute({ kind: "uint", size: 8 }, 18446744073709551615n),
    18446744073709551615n,
  );
  // xarray 2026 cannot decode a string fill value ("Unsupported dtype StringDType()").
  assert.equal(v3FillAttribute({ kind: "string" }, "zz"), undefined);
  assert.deepEqual(v3FillAttribute({ kind: "complex", size: 16 }, [1, -1]), [
    "AAAAAAAA8D8=",
    "AAAAAAAA8L8=",
  ]);
  assert.equal(v3FillAttribute({ kind: "float", size: 4 }, null), undefined);
  // xarray 2026 cannot decode a |S fill value: the dataset would not open at all.
  assert.equal(v3FillAttribute({ kind: "bytes", size: 2 }, new Uint8Array([122, 122])), undefined);
});

Deno.test("float attributes stay floats: 5.0, [-90.0, 60.0], NaN as the client reads it", () => {
  const node: GroupNode = {
    kind: "group",
    attrs: { add_offset: 5, valid_range: [-90, 60], count: 3, bad: NaN },
    floatAttrs: ["add_offset", "valid_range", "bad"],
    children: new Map(),
  };
  const text = strictJson(typedAttrs(node), 0, "bare");
  assert.equal(text, '{"add_offset":5.0,"valid_range":[-90.0,60.0],"count":3,"bad":NaN}');
  assert.deepEqual(node.attrs.add_offset, 5, "the model's value is unchanged");
});
