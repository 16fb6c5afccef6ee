// Near misses: one slip (Damerau-Levenshtein distance 1 on letters and digits, or one list item dropped
// or moved), never an answer the checker accepts, and none when every slip is accepted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../util/random.js";
import { nearMiss } from "./near-miss.js";

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

test("nearMiss: a word or number slips by one edit of a letter or digit, keeping its kind", () => {
  const rng = createRng(7);
  const seen = new Set<string>();
  for (const answer of ["dresser", "69", "a", "Yes", "x-ray 12"]) {
    for (let k = 0; k < 200; k++) {
      const miss = nearMiss(rng, answer, (c) => c !== answer);
      assert.ok(miss !== undefined, answer);
      assert.equal(osa(answer, miss), 1, `${answer} -> ${miss}`);
      // Digits become digits, letters letters: "-" and " " never change.
      assert.equal(miss.replace(/[\p{L}\p{N}]/gu, ""), answer.replace(/[\p{L}\p{N}]/gu, ""), miss);
      if (/^\d+$/.test(answer)) assert.match(miss, /^\d+$/);
      seen.add(`${answer}>${miss}`);
    }
  }
  // Every kind of slip happens: dropped, doubled, swapped, replaced.
  for (const m of ["dresser>dreser", "dresser>dresserr", "dresser>rdesser", "69>96"])
    assert.ok(seen.has(m), m);
  assert.ok([...seen].some((m) => /^dresser>[a-z]{7}$/.test(m) && osa("dresser", m.slice(8)) === 1));
});

test("nearMiss: a list drops an item or swaps two, or slips inside one", () => {
  const rng = createRng(3);
  const answer = "camel, tiger, trumpet";
  let lists = 0;
  for (let k = 0; k < 300; k++) {
    const miss = nearMiss(rng, answer, (c) => c !== answer)!;
    const items = miss.split(", ");
    const sameItems = items.every((i) => answer.split(", ").includes(i));
    if (sameItems) {
      lists++;
      assert.ok(items.length === 2 || (items.length === 3 && new Set(items).size === 3), miss);
    } else assert.equal(osa(answer, miss), 1, miss);
  }
  assert.ok(lists > 100 && lists < 200, `list slips ${lists} of 300`);
});

test("nearMiss: never an answer the checker accepts; undefined when it accepts every slip; seeded", () => {
  const rng = createRng(1);
  for (let k = 0; k < 100; k++)
    assert.notEqual(
      nearMiss(rng, "top", (c) => c !== "tpo"),
      "tpo",
    );
  assert.equal(
    nearMiss(rng, "top", () => false),
    undefined,
  );
  const draw = (seed: number) =>
    Array.from({ length: 20 }, (_, k) => nearMiss(createRng(seed + k), "lantern", () => true));
  assert.deepEqual(draw(5), draw(5));
});
