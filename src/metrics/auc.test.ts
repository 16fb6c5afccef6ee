import assert from "node:assert/strict";
import { test } from "node:test";
import { rocAuc } from "./auc.js";

/** The definition, pair by pair: P(positive > negative) + P(tie) / 2. */
function pairwise(scores: number[], labels: boolean[]): number {
  let sum = 0;
  let n = 0;
  for (const [i, p] of scores.entries())
    for (const [j, q] of scores.entries())
      if (labels[i] && !labels[j]) {
        sum += p > q ? 1 : p === q ? 0.5 : 0;
        n++;
      }
  return sum / n;
}

test("AUC by hand: 3 of the 4 positive-negative pairs ordered right", () => {
  // Positives 0.8, 0.4; negatives 0.6, 0.2: (0.8 > 0.6), (0.8 > 0.2), (0.4 < 0.6), (0.4 > 0.2) = 3/4.
  assert.equal(rocAuc([0.8, 0.6, 0.4, 0.2], [true, false, true, false]), 0.75);
});

test("AUC: scikit-learn's roc_auc_score values (worked by hand from its ROC curve)", () => {
  // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75, its documentation's example.
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  // With a tie across classes: roc_auc_score([0, 1, 0, 1, 1], [0.5, 0.5, 0.2, 0.9, 0.1]).
  // ROC points (thresholds 0.9, 0.5, 0.2, 0.1): (0, 1/3), (1/2, 2/3), (1, 2/3), (1, 1); trapezoids:
  // 1/2 · (1/3 + 2/3) / 2 + 1/2 · 2/3 = 0.25 + 0.333… = 7/12.
  assert.ok(
    Math.abs((rocAuc([0.5, 0.5, 0.2, 0.9, 0.1], [false, true, false, true, true]) ?? 0) - 7 / 12) < 1e-12,
  );
  // Perfect, reversed and all tied.
  assert.equal(rocAuc([0.9, 0.8, 0.1], [true, true, false]), 1);
  assert.equal(rocAuc([0.1, 0.2, 0.9], [true, true, false]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5], [true, false, false]), 0.5);
});

test("AUC equals the pairwise definition on random scores with ties; null with one class", () => {
  let x = 7;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  for (let trial = 0; trial < 20; trial++) {
    const scores = Array.from({ length: 30 }, () => Math.round(next() * 8) / 8);
    const labels = scores.map(() => next() < 0.4);
    if (!labels.includes(true) || labels.every(Boolean)) continue;
    assert.ok(Math.abs((rocAuc(scores, labels) ?? -1) - pairwise(scores, labels)) < 1e-12);
  }
  assert.equal(rocAuc([0.3, 0.4], [true, true]), null);
  assert.equal(rocAuc([], []), null);
  assert.throws(() => rocAuc([0.1], []), /1 scores but 0 labels/);
});
