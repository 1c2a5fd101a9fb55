/** URL-safe node names and ASCII JSON, on any dataset. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { isSafeName, ORIGINAL_NAME, withSafeNames } from "../src/zarr/names.ts";
import { strictJson } from "../src/zarr/json.ts";
import { withServer } from "./helpers.ts";

const odd = () =>
  memoryDataset("odd", {
    dims: { x: 3 },
    attrs: { units: "°C", title: "données 気温 🌧", big: 9223372036854775813n },
    variables: {
      "#a#": { dims: ["x"], data: new Int32Array([1, 2, 3]) },
      "x#": { dims: ["x"], data: new Int32Array([4, 5, 6]) },
      "x?": { dims: ["x"], data: new Int32Array([7, 8, 9]) },
      "x_": { dims: ["x"], data: new Int32Array([0, 0, 0]) },
      "with space": { dims: ["x"], data: new Int32Array([1, 1, 1]) },
      ".zarray": { dims: ["x"], data: new Int32Array([2, 2, 2]) },
      "zarr.json": { dims: ["x"], data: new Int32Array([3, 3, 3]) },
      "température": { dims: ["x"], data: new Float32Array([1, 2, 3]), attrs: { units: "°C" } },
    },
  });

Deno.test("unsafe names are renamed uniquely, keep their original, and are listed", () => {
  for (
    const bad of [
      "#a#",
      "a?b",
      "50%",
      "with space",
      "tab\tname",
      "ctl\x01",
      ".hidden",
      "zarr.json",
      "",
    ]
  ) {
    assert.equal(isSafeName(bad), false, JSON.stringify(bad));
  }
  for (const good of ["température", "気温", "a-b_c.d", "c", "0"]) {
    assert.ok(isSafeName(good), good);
  }
  const ds = withSafeNames(odd());
  const names = [...ds.root.children.keys()];
  assert.deepEqual(names, [
    "_a_",
    "x__2",
    "x__3",
    "x_",
    "with_space",
    "_zarray",
    "zarr.json_",
    "température",
  ]);
  const originals = [...ds.root.children.values()].map((n) => n.attrs[ORIGINAL_NAME]);
  assert.deepEqual(originals.slice(0, 3), ["#a#", "x#", "x?"]);
  assert.equal(originals[3], undefined, "a safe name is not touched");
  assert.equal(ds.warnings.length, 6);
  assert.match(ds.warnings[0], /^\/#a#: published as "_a_"/);
});

Deno.test("every JSON document is ASCII, and clients read renamed arrays", async () => {
  assert.equal(strictJson({ "é": "°C 🌧" }, 0), '{"\\u00e9":"\\u00b0C \\ud83c\\udf27"}');
  await withServer([odd()], async (base) => {
    const keys = [".zmetadata", ".zattrs", "zarr.json", "_a_/.zarray", "température/.zattrs"];
    for (const key of keys) {
      const res = await fetch(`${base}/odd/${encodeURI(key)}`);
      assert.equal(res.status, 200, key);
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.ok(bytes.every((b) => b < 0x80), `${key} is ASCII`);
    }
    const meta = await (await fetch(`${base}/odd/.zmetadata`)).json();
    assert.equal(meta.metadata[".zattrs"].units, "°C");
    assert.equal(meta.metadata[".zattrs"].title, "données 気温 🌧");
    const text = await (await fetch(`${base}/odd/.zattrs`)).text();
    assert.match(text, /"big": 9223372036854775813/, "64-bit attributes are exact");
    for (const accept of ["application/json", ""]) {
      const listing = new Uint8Array(
        await (await fetch(`${base}/`, { headers: { accept } })).arrayBuffer(),
      );
      if (accept) assert.ok(listing.every((b) => b < 0x80), "the / listing is ASCII");
    }
    const root = zarr.root(new zarr.FetchStore(`${base}/odd`));
    for (
      const [name, want] of [["_a_", [1, 2, 3]], ["x__3", [7, 8, 9]], ["température", [
        1,
        2,
        3,
      ]]] as const
    ) {
      const arr = await zarr.open.v2(root.resolve(name), { kind: "array" });
      assert.deepEqual(Array.from((await zarr.get(arr)).data as Int32Array), want, name);
    }
  });
});
