import assert from "node:assert/strict";
import { cellsOf } from "../src/pyramid/cells.ts";
import { halve } from "../src/pyramid/halving.ts";

const valid = (v: number) => v === v && v !== -999;
/** Values as the pyramid reads them: NaN where missing, `value` applied to the rest. */
const decoded = (values: number[], value = (v: number) => v) => (i: number) =>
  valid(values[i]) ? value(values[i]) : NaN;

Deno.test("unit halve: two levels of count-weighted means equal the mean of the valid values", () => {
  // 3 x 5: odd edges, a fill value and a NaN.
  const values = [1, 2, 3, 4, 5, 6, -999, 8, NaN, 10, 11, 12, 13, 14, 15];
  const level1 = halve(cellsOf([3, 5], decoded(values)), [0, 1], "mean");
  assert.deepEqual(level1.shape, [2, 3]);
  assert.deepEqual(Array.from(level1.values), [3, 5, 7.5, 11.5, 13.5, 15]);
  assert.deepEqual(Array.from(level1.counts), [3, 3, 2, 2, 2, 1]);
  const level2 = halve(level1, [0, 1], "mean");
  const direct = values.slice(0, 15).filter((v, i) => valid(v) && i % 5 < 4);
  assert.equal(level2.values[0], direct.reduce((a, b) => a + b) / direct.length);
  assert.equal(level2.values[1], (5 + 10 + 15) / 3);
});

Deno.test("unit halve: categories take the value covering most cells, unpacking applies first", () => {
  const mode = halve(cellsOf([2, 4], decoded([1, 1, 2, 2, 1, 3, 2, -999])), [0, 1], "mode");
  assert.deepEqual(Array.from(mode.values), [1, 2]);
  const none = halve(cellsOf([2, 2], decoded([-999, NaN, -999, -999])), [0, 1], "mean");
  assert.ok(Number.isNaN(none.values[0]));
  assert.equal(none.counts[0], 0);
  const packed = cellsOf([1, 2], decoded([10, 20], (v) => v * 0.5 + 1));
  assert.deepEqual(Array.from(halve(packed, [1], "mean").values), [8.5]);
});

Deno.test("unit halve: a flag variable's mode is exact over the source, not a mode of modes", () => {
  // 2 x 4 source: the left 2 x 2 is [1, 1, 2, 3], the right [2, 2, 3, 3].
  const flags = cellsOf([2, 4], decoded([1, 1, 2, 2, 2, 3, 3, 3]), [1, 2, 3]);
  const level1 = halve(flags, [0, 1], "mode");
  assert.deepEqual(Array.from(level1.values), [1, 2]); // ties to the smallest
  // The source holds 1 twice, 2 three times and 3 three times: 2, the smallest of the most.
  const level2 = halve(level1, [0, 1], "mode");
  assert.deepEqual(Array.from(level2.values), [2]);
  const biased = cellsOf([2, 4], decoded([1, 1, 2, 3, 3, 3, 2, 3]), [1, 2, 3]);
  // left [1, 1, 3, 3] -> 1 (tie), right [2, 3, 2, 3] -> 2 (tie); the source's mode is 3.
  assert.deepEqual(Array.from(halve(halve(biased, [0, 1], "mode"), [0, 1], "mode").values), [3]);
});
