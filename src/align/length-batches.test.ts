// The batch order of the generation stages: every prompt once, batches cut from windows of four batches
// sorted by length (ties in file order), no prompt leaving its window.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lengthBatches } from "./length-batches.js";

test("length batches: windows of four batches sorted by length, each prompt once", () => {
  // 2 per batch, so windows of 8 prompts: 0-7 and 8-10.
  const lengths = [9, 3, 7, 3, 1, 8, 2, 5, 4, 4, 1];
  const batches = lengthBatches(lengths, 2);
  assert.deepEqual(batches, [[4, 6], [1, 3], [7, 2], [5, 0], [10, 8], [9]]);
  assert.deepEqual(
    batches.flat().sort((a, b) => a - b),
    lengths.map((_, i) => i),
  );
});

test("length batches: no prompts, no batches; one batch size larger than the set, one batch", () => {
  assert.deepEqual(lengthBatches([], 4), []);
  assert.deepEqual(lengthBatches([5, 2, 9], 64), [[1, 0, 2]]);
});
