/**
 * Unit: parseKey (src/zarr/keys.ts) on a tree of fake nodes, no server. What each store key
 * names: a metadata document, a v2 or v3 chunk, or a 400 (malformed) or 404 (absent) with its
 * reason. The grid check is the store's (inGrid), not parseKey's.
 */
import assert from "node:assert/strict";
import { inGrid } from "../src/model/grid.ts";
import type { ArrayNode } from "../src/model/types.ts";
import { parseKey } from "../src/zarr/keys.ts";
import { fakeArray, fakeGroup } from "./setup.ts";

const t = fakeArray([10], [4]); // 1-d, a grid of 3
const a = fakeArray([5, 7], [2, 3]); // 2-d, a grid of 3 x 3
const s = fakeArray([]); // 0-d
const dotted = fakeArray([3]); // named "v.1"
const c = fakeArray([2], [1]); // an array named "c", at the root
const x = fakeArray([4], [2]); // g/c/x: under a group named "c"
const root = fakeGroup({
  t,
  s,
  "v.1": dotted,
  c,
  g: fakeGroup({ a, c: fakeGroup({ x }) }),
});

/** The chunk `key` names: its format, array and coordinates. */
function chunk(key: string): { format: 2 | 3; path: string; array: ArrayNode; coords: number[] } {
  const k = parseKey(root, key);
  assert.equal(k.kind, "chunk", `${key}: ${JSON.stringify(k)}`);
  if (k.kind !== "chunk") throw new Error("unreachable");
  return { format: k.format, path: k.path, array: k.array, coords: k.coords };
}

/** The refusal of `key`: invalid (400) or absent (404), and a message matching `says`. */
function refused(key: string, status: 400 | 404, says: RegExp): void {
  const k = parseKey(root, key);
  const kind = status === 400 ? "invalid" : "absent";
  assert.equal(k.kind, kind, `${key} must be refused: ${JSON.stringify(k)}`);
  if (k.kind !== "invalid" && k.kind !== "absent") return;
  assert.match(k.message, says, key);
}

Deno.test("unit parseKey: metadata documents where their node has them, 404 elsewhere", () => {
  for (const doc of [".zgroup", ".zattrs", ".zmetadata", "zarr.json"] as const) {
    const k = parseKey(root, doc);
    assert.deepEqual(k.kind === "meta" && [k.path, k.doc, k.node], ["", doc, root], doc);
  }
  for (const doc of [".zarray", ".zattrs", "zarr.json"] as const) {
    const k = parseKey(root, `g/a/${doc}`);
    assert.deepEqual(k.kind === "meta" && [k.path, k.doc, k.node], ["g/a", doc, a], doc);
  }
  const group = parseKey(root, "g/c/.zgroup");
  assert.ok(group.kind === "meta" && group.node.kind === "group" && group.path === "g/c");
  const named = parseKey(root, "v.1/.zarray");
  assert.ok(named.kind === "meta" && named.node === dotted);

  refused(".zarray", 404, /^no \.zarray at ""$/); // the root is a group
  refused("t/.zgroup", 404, /^no \.zgroup at "t"$/);
  refused("g/.zarray", 404, /^no \.zarray at "g"$/);
  refused("g/.zmetadata", 404, /^no \.zmetadata at "g"$/); // consolidated at the root only
  refused("t/.zmetadata", 404, /no \.zmetadata/);
  refused("nothing/.zattrs", 404, /^no node "nothing"$/);
  refused("t/0/.zarray", 404, /^no node "t\/0"$/); // below an array is nothing
  refused("t/c/zarr.json", 404, /^no node "t\/c"$/);
});

Deno.test("unit parseKey: v2 chunk keys i.j, one index per axis", () => {
  assert.deepEqual(chunk("t/0"), { format: 2, path: "t", array: t, coords: [0] });
  assert.deepEqual(chunk("g/a/1.2"), { format: 2, path: "g/a", array: a, coords: [1, 2] });
  assert.deepEqual(chunk("s/0"), { format: 2, path: "s", array: s, coords: [] });
  assert.deepEqual(chunk("v.1/0").coords, [0]); // a dot in the name is not a separator
  assert.equal(chunk("c/1").path, "c"); // an array named "c" still takes v2 keys
  assert.deepEqual(chunk("g/c/x/1"), { format: 2, path: "g/c/x", array: x, coords: [1] });

  refused("g/a/1", 400, /^malformed chunk key "g\/a\/1" for a 2-d array$/);
  refused("g/a/1.2.3", 400, /for a 2-d array/);
  refused("g/a/1..2", 400, /for a 2-d array/);
  refused("t/.0", 400, /malformed chunk key/);
  for (const index of ["01", "-1", "+1", "1e2", "0x1", " 1", "1 ", "x", "1.5"]) {
    refused(`t/${index}`, 400, /^malformed chunk key "t\/.*" for a 1-d array$/);
  }
  refused("t/12345678901234567", 400, /malformed/); // 17 digits
  refused("s/1", 400, /^malformed chunk key "s\/1"$/); // a 0-d array's one chunk is "0"
  refused("s/0.0", 400, /malformed/);
  refused("g/0", 404, /^no key "g\/0"$/); // a group has no chunks
  refused("nothing/0", 404, /^no key "nothing\/0"$/);
});

Deno.test("unit parseKey: v3 chunk keys c/i/j, and bare c for 0-d", () => {
  assert.deepEqual(chunk("t/c/2"), { format: 3, path: "t", array: t, coords: [2] });
  assert.deepEqual(chunk("g/a/c/1/2"), { format: 3, path: "g/a", array: a, coords: [1, 2] });
  assert.deepEqual(chunk("s/c"), { format: 3, path: "s", array: s, coords: [] });
  assert.deepEqual(chunk("v.1/c/0").coords, [0]);
  // "c" as a name: the array "c", and the array below the group "c".
  assert.deepEqual(chunk("c/c/1"), { format: 3, path: "c", array: c, coords: [1] });
  assert.deepEqual(chunk("g/c/x/c/1"), { format: 3, path: "g/c/x", array: x, coords: [1] });

  refused("g/a/c/1.2", 400, /^malformed chunk key "g\/a\/c\/1\.2" for a 2-d array$/);
  refused("g/a/c/1", 400, /for a 2-d array/);
  refused("g/a/c/1/2/3", 400, /for a 2-d array/);
  refused("t/c", 400, /for a 1-d array/); // only a 0-d array's key ends at c
  refused("t/c/01", 400, /malformed/);
  refused("s/c/0", 400, /^malformed chunk key "s\/c\/0" for a 0-d array$/);
  refused("c/c", 400, /for a 1-d array/);
  refused("g/c/0", 404, /^no key "g\/c\/0"$/); // g is a group, g/c a group
});

Deno.test("unit parseKey: empty parts, dots and slashes are malformed", () => {
  for (const key of ["/t/0", "t//0", "./t/0", "t/./0", "t/../t/0", "..", "g/a/c//1"]) {
    refused(key, 400, /^malformed key /);
  }
  refused("t/0/", 404, /^no group "t\/0"$/); // a trailing slash names a group
});

Deno.test("unit parseKey: a node itself (a listing or a page), groups with or without a slash", () => {
  for (
    const [key, path, node] of [["", "", root], ["g", "g", root.children.get("g")], [
      "g/",
      "g",
      root.children.get("g"),
    ], ["g/a", "g/a", a]] as const
  ) {
    const k = parseKey(root, key);
    assert.deepEqual(k.kind === "node" && [k.path, k.node], [path, node], key);
  }
  refused("g/a/", 404, /^no group "g\/a"$/); // an array is no group
});

Deno.test("unit parseKey: a chunk outside the grid is parsed; inGrid refuses it", () => {
  // parseKey reads the indices; the store answers 404 when inGrid says no.
  for (const [key, inside] of [["t/2", true], ["t/3", false], ["g/a/c/2/2", true]] as const) {
    const k = chunk(key);
    assert.equal(inGrid(k.array, k.coords), inside, key);
  }
  for (const key of ["g/a/3.0", "g/a/0.3", "g/a/c/99/0"]) {
    const k = chunk(key);
    assert.equal(inGrid(k.array, k.coords), false, key);
  }
  // 16 digits parse (past 2^53 they round), and are outside any real grid.
  const big = chunk("t/9999999999999999");
  assert.equal(inGrid(big.array, big.coords), false);
  assert.equal(inGrid(s, chunk("s/c").coords), true);
});
