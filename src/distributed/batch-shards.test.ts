// How ranks deal batches and ship results: ownership in snake order, and results that survive the trip
// exactly (non-finite log-probabilities included, strings untouched).
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeResults, encodeResults, ownsBatch } from "./batch-shards.js";
import type { ProcessGroup } from "./process-group.js";

test("batches are dealt in snake order, each to one rank; without a group this process owns them all", () => {
  const owners = (worldSize: number, count: number) =>
    Array.from({ length: count }, (_, b) =>
      Array.from({ length: worldSize }, (_, r) => r).filter((r) =>
        ownsBatch({ rank: r, worldSize } as ProcessGroup, b),
      ),
    );
  assert.deepEqual(owners(3, 8), [[0], [1], [2], [2], [1], [0], [0], [1]]);
  assert.deepEqual(owners(2, 5), [[0], [1], [1], [0], [0]]);
  assert.deepEqual(owners(1, 3), [[0], [0], [0]]);
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
