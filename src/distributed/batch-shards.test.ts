// How ranks deal batches and ship results: round-robin ownership, and results that survive the trip
// exactly (non-finite log-probabilities included, strings untouched).
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeResults, encodeResults, ownsBatch } from "./batch-shards.js";
import type { ProcessGroup } from "./process-group.js";

test("batches are dealt round-robin; without a group this process owns them all", () => {
  const rank = (r: number) => ({ rank: r, worldSize: 3 }) as ProcessGroup;
  const owners = Array.from({ length: 7 }, (_, b) => [0, 1, 2].filter((r) => ownsBatch(rank(r), b)));
  assert.deepEqual(owners, [[0], [1], [2], [0], [1], [2], [0]]);
  assert.ok(ownsBatch(undefined, 5));
});

test("results decode to exactly what was encoded, infinities and NaN included", () => {
  const value = [
    [
      0,
      { logprob: Number.NEGATIVE_INFINITY, tokenLogprobs: [-0.1 / 3, Number.NaN, Number.POSITIVE_INFINITY] },
    ],
    [1, "NaN"],
    [2, ["Infinity", 1e-300, -0]],
  ];
  assert.deepEqual(decodeResults(encodeResults(value)), value);
});
