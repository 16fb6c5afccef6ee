import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../util/random.js";
import { compareFigures, estimateFigures } from "./bootstrap.js";
import { compareSystems } from "./compare.js";
import { FIGURES } from "./figures.js";
import type { ItemResult } from "./item.js";
import { summarizeQuality } from "./robustness.js";

function randomItems(seed: number, n: number): ItemResult[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, k) => {
    const variants = 1 + rng.int(6);
    const pairs = (variants * (variants - 1)) / 2;
    const scores = Array.from({ length: variants }, () => rng.next());
    return {
      id: `i${k}`,
      variants,
      simSum: pairs * rng.next(),
      pairs,
      consistency: null,
      quality:
        rng.next() < 0.8
          ? summarizeQuality(
              scores,
              scores.map((_, i) => (i === 0 ? "original" : "model")),
            )
          : null,
      posix: rng.next() < 0.5 ? rng.next() * 3 : null,
    };
  }).map((item) => ({
    ...item,
    consistency: item.pairs === 0 ? null : item.simSum / item.pairs,
    correctSimSum: item.quality === null ? null : item.simSum * item.quality.mean ** 2,
  }));
}

test("bootstrap: every interval contains its point estimate; the same seed gives the same intervals", () => {
  for (let seed = 0; seed < 20; seed++) {
    const items = randomItems(seed, 5 + seed * 7);
    const f = estimateFigures(FIGURES, items, { resamples: 300, seed, level: 0.95 });
    for (const [key, e] of Object.entries(f)) {
      if (e.value === null || key === "pdr") continue;
      assert.ok(
        e.ci![0] <= e.value && e.value <= e.ci![1],
        `${key} of seed ${seed}: ${e.value} outside ${e.ci}`,
      );
    }
    assert.deepEqual(estimateFigures(FIGURES, items, { resamples: 300, seed, level: 0.95 }), f);
  }
});

test("bootstrap: constant items give a zero-width interval; a wider level gives a wider interval", () => {
  const items = randomItems(1, 40).map((item) => ({
    ...item,
    simSum: item.pairs * 0.5,
    consistency: item.pairs ? 0.5 : null,
  }));
  const f = estimateFigures(FIGURES, items);
  assert.deepEqual(f.cr_macro!.ci, [0.5, 0.5]);
  const many = randomItems(2, 200);
  const narrow = estimateFigures(FIGURES, many, { resamples: 500, seed: 3, level: 0.5 }).quality_mean!.ci!;
  const wide = estimateFigures(FIGURES, many, { resamples: 500, seed: 3, level: 0.99 }).quality_mean!.ci!;
  assert.ok(wide[0] < narrow[0] && narrow[1] < wide[1]);
});

test("paired comparison: a system against itself differs by exactly 0; a better system shows a positive difference", () => {
  const items = randomItems(5, 120);
  for (const d of Object.values(compareFigures(FIGURES, items, items))) {
    if (d.a === null) continue;
    assert.equal(d.difference, 0);
    assert.deepEqual(d.ci, [0, 0]);
  }
  const better = items.map((item) => ({ ...item, simSum: item.pairs, consistency: item.pairs ? 1 : null }));
  const c = compareSystems(FIGURES, better, items.slice(10));
  assert.equal(c.paired, 110);
  assert.deepEqual(
    c.onlyInA,
    items.slice(0, 10).map((i) => i.id),
  );
  assert.deepEqual(c.onlyInB, []);
  const cr = c.figures.cr_macro!;
  assert.ok(cr.difference! > 0 && cr.ci![0] > 0, JSON.stringify(cr));
  assert.throws(() => compareSystems(FIGURES, items.slice(0, 1), items.slice(1, 2)), RangeError);
});
