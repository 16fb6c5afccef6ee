// The table over seeds: means and Student-t intervals with n − 1 degrees of freedom, checked against a
// t table (t_{0.975,4} = 2.776 for five seeds) and sums worked out by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FigureName, type SeedFigures, summarizeGap, summarizeSeeds } from "./seed-summary.js";

const figures = (x: number): Record<FigureName, number> => ({
  accuracy: x,
  rougeL: x / 2,
  cr: x + 0.1,
  crCorrect: 0,
  inputSensitivity: 1 - x,
});
const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test("five seeds: mean ± t_{0.975,4} · s / √5, per system and per difference", () => {
  const sft = [0.1, 0.2, 0.3, 0.4, 0.5];
  const ia = [0.3, 0.3, 0.4, 0.6, 0.6];
  const perSeed: SeedFigures[] = sft.map((x, k) => ({ sft: figures(x), sft_ia: figures(ia[k]!) }));
  const s = summarizeSeeds([0, 1, 2, 3, 4], ["sft", "sft_ia"], perSeed);
  // sft accuracy: mean 0.3, sample sd √(0.1 / 4) = 0.158113883...
  const e = s.systems[0]!.figures.accuracy;
  const half = (2.776 * Math.sqrt(0.1 / 4)) / Math.sqrt(5);
  assert.ok(close(e.mean, 0.3));
  assert.ok(close(e.ci![0], 0.3 - half) && close(e.ci![1], 0.3 + half), `${e.ci}`);
  // sft_ia − sft accuracy per seed: 0.2, 0.1, 0.1, 0.2, 0.1: mean 0.14, sample sd √(0.012 / 4).
  const d = s.differences[0]!;
  assert.deepEqual([d.a, d.b], ["sft_ia", "sft"]);
  const dHalf = (2.776 * Math.sqrt(0.012 / 4)) / Math.sqrt(5);
  assert.ok(close(d.figures.accuracy.mean, 0.14));
  assert.ok(close(d.figures.accuracy.ci![0], 0.14 - dHalf) && close(d.figures.accuracy.ci![1], 0.14 + dHalf));
  // Input sensitivity is 1 − accuracy here: the difference flips sign, the interval mirrors.
  assert.ok(close(d.figures.inputSensitivity.mean, -0.14));
  assert.equal(summarizeSeeds([0], ["sft"], [perSeed[0]!]).systems[0]!.figures.cr.ci, null);
});

test("the gap between two measurements of the same seeds is taken per seed, then summarised", () => {
  const later: SeedFigures[] = [0.2, 0.4, 0.3].map((x) => ({ cat: figures(x) }));
  const earlier: SeedFigures[] = [0.5, 0.6, 0.7].map((x) => ({ cat: figures(x) }));
  const gap = summarizeGap(["cat"], later, earlier)[0]!;
  // Per seed: −0.3, −0.2, −0.4: mean −0.3, sample sd 0.1, t_{0.975,2} = 4.303.
  const half = (4.303 * 0.1) / Math.sqrt(3);
  assert.ok(close(gap.figures.accuracy.mean, -0.3));
  assert.ok(
    close(gap.figures.accuracy.ci![0], -0.3 - half) && close(gap.figures.accuracy.ci![1], -0.3 + half),
  );
  assert.deepEqual(
    gap.figures.accuracy.values.map((v) => Math.round(v * 10) / 10),
    [-0.3, -0.2, -0.4],
  );
  assert.throws(() => summarizeGap(["cat"], later, earlier.slice(1)), RangeError);
});
