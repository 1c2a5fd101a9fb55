/**
 * Unit: blocks out of whole arrays (src/model/grid.ts extractBlock, with chunkRegion, inGrid,
 * copyBlock and padChunk) and chunks read from regions (src/model/region.ts chunkReader): the
 * edge chunks clipped by the array's end and padded with the fill value, any element size,
 * 0-d arrays and strings.
 */
import assert from "node:assert/strict";
import {
  chunkRegion,
  copyBlock,
  extractBlock,
  inGrid,
  padChunk,
  product,
} from "../src/model/grid.ts";
import { chunkReader } from "../src/model/region.ts";
import { fakeArray } from "./setup.ts";

/** Byte i of a whole array of `shape` is i (mod 256): each element says where it was. */
function ramp(shape: number[]): Uint8Array {
  return new Uint8Array(product(shape)).map((_, i) => i);
}

/** The C-order block at `start`/`count` of an array of `shape`, element by element. */
function naive(shape: number[], start: number[], count: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, d) => product(shape.slice(d + 1)));
  const walk = (d: number, at: number) => {
    if (d === shape.length) return void out.push(at);
    for (let i = 0; i < count[d]; i++) walk(d + 1, at + (start[d] + i) * strides[d]);
  };
  walk(0, 0);
  return out;
}

Deno.test("unit extractBlock: interior and edge blocks of 1-, 2- and 3-d arrays", () => {
  const cases: [number[], number[], number[]][] = [
    [[10], [3], [4]],
    [[10], [9], [1]],
    [[5, 7], [0, 0], [5, 7]], // the whole array
    [[5, 7], [1, 2], [3, 4]],
    [[5, 7], [4, 6], [1, 1]], // the last element: a 1 x 1 edge
    [[5, 7], [3, 4], [2, 3]], // the bottom-right edge chunk of 2 x 3 chunks
    [[4, 5, 6], [1, 2, 3], [3, 2, 3]],
    [[4, 5, 6], [3, 0, 0], [1, 5, 6]], // one whole plane
    [[4, 5, 6], [0, 4, 5], [4, 1, 1]], // a column through the planes
  ];
  for (const [shape, start, count] of cases) {
    const got = extractBlock(ramp(shape), shape, start, count, 1);
    assert.deepEqual([...got], naive(shape, start, count), `${shape} ${start} ${count}`);
  }
});

Deno.test("unit extractBlock: multi-byte elements move whole, in order", () => {
  const shape = [3, 4];
  const values = new Float64Array(12).map((_, i) => i + 0.5);
  const block = extractBlock(new Uint8Array(values.buffer), shape, [1, 1], [2, 3], 8);
  assert.equal(block.length, 2 * 3 * 8);
  assert.deepEqual([...new Float64Array(block.buffer)], [5.5, 6.5, 7.5, 9.5, 10.5, 11.5]);
});

Deno.test("unit extractBlock: 0-d, empty blocks, strings, and a copy never a view", () => {
  const scalar = new Uint8Array([1, 2, 3, 4, 9, 9]);
  assert.deepEqual(extractBlock(scalar, [], [], [], 4), new Uint8Array([1, 2, 3, 4]));
  assert.equal(extractBlock(ramp([5, 7]), [5, 7], [2, 3], [0, 3], 1).length, 0);
  assert.equal(extractBlock(ramp([5, 7]), [5, 7], [2, 3], [2, 0], 1).length, 0);

  const words = ["a", "b", "c", "d", "e", "f"]; // 2 x 3
  assert.deepEqual(extractBlock(words, [2, 3], [0, 1], [2, 2], 1), ["b", "c", "e", "f"]);
  assert.deepEqual(extractBlock(["only"], [], [], [], 1), ["only"]);

  const src = ramp([4]);
  const whole = extractBlock(src, [4], [0], [4], 1);
  assert.deepEqual(whole, src);
  whole[0] = 99;
  assert.equal(src[0], 0, "the block is a copy");
});

Deno.test("unit chunkRegion and inGrid: edge chunks clipped, outside ones refused", () => {
  const shape = [5, 7], chunks = [2, 3];
  assert.deepEqual(chunkRegion(shape, chunks, [0, 0]), { start: [0, 0], count: [2, 3] });
  assert.deepEqual(chunkRegion(shape, chunks, [1, 1]), { start: [2, 3], count: [2, 3] });
  assert.deepEqual(chunkRegion(shape, chunks, [2, 2]), { start: [4, 6], count: [1, 1] });
  assert.deepEqual(chunkRegion(shape, chunks, [2, 0]), { start: [4, 0], count: [1, 3] });
  assert.deepEqual(chunkRegion([], [], []), { start: [], count: [] });

  const array = fakeArray(shape, chunks); // a grid of 3 x 3
  for (const coords of [[0, 0], [2, 2], [1, 2]]) assert.ok(inGrid(array, coords), `${coords}`);
  for (const coords of [[3, 0], [0, 3], [-1, 0], [0.5, 0], [0], [0, 0, 0], [NaN, 0]]) {
    assert.ok(!inGrid(array, coords), `${coords}`);
  }
  assert.ok(inGrid(fakeArray([]), []));
  assert.ok(!inGrid(fakeArray([]), [0]));
  assert.ok(!inGrid(fakeArray([0], [4]), [0]), "an empty axis has no chunks");
});

Deno.test("unit padChunk and copyBlock: an edge block placed in a full chunk of fill", () => {
  const shape = [5, 7], chunks = [2, 3];
  const { start, count } = chunkRegion(shape, chunks, [2, 1]); // rows 4, cols 3..5
  const block = extractBlock(ramp(shape), shape, start, count, 1);
  assert.deepEqual([...block], [31, 32, 33]);
  const padded = padChunk(block, count, chunks, new Uint8Array([200]), 1);
  assert.deepEqual([...padded], [31, 32, 33, 200, 200, 200]);
  // Nothing clipped: the same bytes back, not a copy.
  const inner = extractBlock(ramp(shape), shape, [0, 0], chunks, 1);
  assert.equal(padChunk(inner, chunks, chunks, new Uint8Array([200]), 1), inner);
  // Strings pad with the fill string.
  assert.deepEqual(padChunk(["x"], [1, 1], [2, 2], ["-"], 1), ["x", "-", "-", "-"]);

  // copyBlock puts each block back where extractBlock took it from: the chunks make the array.
  const whole = new Uint8Array(35);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const r = chunkRegion(shape, chunks, [i, j]);
      const b = extractBlock(ramp(shape), shape, r.start, r.count, 1);
      copyBlock(b, r.count, whole, shape, r.start, 1);
    }
  }
  assert.deepEqual(whole, ramp(shape));
});

Deno.test("unit chunkReader: each chunk from its region, edges padded with the fill", async () => {
  const shape = [5, 7], chunks = [2, 3];
  const values = new Int16Array(35).map((_, i) => i);
  const src = new Uint8Array(values.buffer);
  const asked: string[] = [];
  const read = chunkReader(
    (start, count) => {
      asked.push(`${start}+${count}`);
      return extractBlock(src, shape, start, count, 2);
    },
    { kind: "int", size: 2 },
    shape,
    chunks,
    -1,
  );
  const edge = await read([2, 2]);
  assert.deepEqual([...new Int16Array((edge as Uint8Array).slice().buffer)], [
    34,
    -1,
    -1,
    -1,
    -1,
    -1,
  ]);
  const inner = await read([1, 1]);
  assert.deepEqual([...new Int16Array((inner as Uint8Array).slice().buffer)], [
    17,
    18,
    19,
    24,
    25,
    26,
  ]);
  assert.deepEqual(asked, ["4,6+1,1", "2,3+2,3"]);

  const text = chunkReader(
    (start, count) => extractBlock(["a", "b", "c", "d", "e"], [5], start, count, 1),
    { kind: "string" },
    [5],
    [2],
    "?",
  );
  assert.deepEqual(await text([2]), ["e", "?"]);
  assert.deepEqual(await text([1]), ["c", "d"]);
});
