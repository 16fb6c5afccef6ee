import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { createRng } from "../util/random.js";
import { estimateFigures } from "./bootstrap.js";
import { pairSums } from "./consistency.js";
import { FIGURES } from "./figures.js";
import { evaluateItems } from "./item.js";
import { exactMatchQuality, rougeLQuality } from "./quality.js";
import {
  exactMatchSimilarity,
  judgeSimilarity,
  memoSimilarity,
  rougeLSimilarity,
  rougeLThresholdSimilarity,
  type Similarity,
} from "./similarity.js";

const TEXTS = [
  "",
  "!!!",
  "Привет, мир",
  "The answer is 42.",
  "the answer is forty-two",
  "Paris is the capital of France.\nIt is large.",
  "Yes",
  "yes.",
  "No, it is not.",
];

function randomText(rng: ReturnType<typeof createRng>): string {
  if (rng.next() < 0.2) return TEXTS[rng.int(TEXTS.length)]!;
  const words = [
    "paris",
    "capital",
    "France",
    "is",
    "the",
    "answer",
    "42",
    "yes",
    "no",
    "Running",
    "ran",
    ".",
  ];
  return Array.from({ length: rng.int(12) }, () => words[rng.int(words.length)]).join(" ");
}

const SIMILARITIES: [string, Similarity][] = [
  ["rougeL", rougeLSimilarity()],
  ["rougeL unstemmed unicode", rougeLSimilarity({ stem: false, tokenizer: "unicode" })],
  ["exact", exactMatchSimilarity],
  ["threshold 0.5", rougeLThresholdSimilarity(0.5)],
  ["judge", judgeSimilarity(async (a, b) => (a === b ? 1 : a.length % 2 === 0 ? 0.8 : 0.1))],
];

test("CR properties: 1 for identical responses, symmetric, within [0, 1] for every similarity", async () => {
  const rng = createRng(3);
  for (const [name, sim] of SIMILARITIES) {
    for (const text of [...TEXTS, ...Array.from({ length: 30 }, () => randomText(rng))]) {
      const same = await pairSums([text, text, text], sim);
      assert.equal(same.simSum / same.pairs, 1, `${name}: CR of identical ${JSON.stringify(text)}`);
    }
    for (let k = 0; k < 200; k++) {
      const a = randomText(rng);
      const b = randomText(rng);
      const ab = await sim(a, b);
      const ba = await sim(b, a);
      assert.ok(ab >= 0 && ab <= 1, `${name}(${a}, ${b}) = ${ab}`);
      assert.ok(Math.abs(ab - ba) <= 1e-15, `${name} is not symmetric on ${JSON.stringify([a, b])}`);
    }
  }
});

function group(
  id: string,
  responses: string[],
  references: string[] = [],
  originalFirst = true,
): ParaphraseGroup {
  return {
    id,
    instruction: "Q",
    input: "",
    variants: responses.map((response, i) => ({
      text: `variant ${i}`,
      origin: i === 0 && originalFirst ? "original" : "model",
      response,
    })),
    references,
  };
}

test("CR macro and micro on a hand-computed case", async () => {
  const items = await evaluateItems(
    [group("1", ["a b", "a b", "c d"]), group("2", ["x", "x"]), group("3", ["alone"])],
    {
      similarity: exactMatchSimilarity,
      quality: exactMatchQuality,
    },
  );
  assert.deepEqual(
    items.map((i) => i.consistency),
    [1 / 3, 1, null],
  );
  const f = estimateFigures(FIGURES, items, { resamples: 200, seed: 1, level: 0.95 });
  assert.equal(f.cr_macro!.value, (1 / 3 + 1) / 2);
  assert.equal(f.cr_micro!.value, (1 + 1) / (3 + 1));
  assert.equal(f.cr_macro!.items, 2);
  assert.equal(f.quality_mean!.value, null);
  assert.equal(f.quality_mean!.ci, null);
});

test("quality views: worst <= mean <= best, gap, std, PSS and PDR by hand", async () => {
  const refs = ["the cat sat"];
  // Exact match: scores per variant are 1 or 0.
  const items = await evaluateItems(
    [group("a", ["The cat sat.", "a dog", "the cat sat"], refs), group("b", ["the cat sat", "no"], refs)],
    { similarity: exactMatchSimilarity, quality: exactMatchQuality },
  );
  const [a, b] = items.map((i) => i.quality!);
  assert.deepEqual([a!.worst, a!.best, a!.mean, a!.gap], [0, 1, 2 / 3, 1]);
  assert.equal(a!.std, Math.sqrt(2 / 9));
  assert.equal(a!.pss, (1 + 0 + 1) / 3);
  assert.deepEqual([a!.original, a!.paraphraseMean], [1, 0.5]);
  const f = estimateFigures(FIGURES, items);
  // PDR = 1 - (0.5 + 0) / (1 + 1)
  assert.equal(f.pdr!.value, 0.75);
  assert.equal(f.quality_worst!.value, 0);
  assert.equal(f.quality_best!.value, 1);
  assert.equal(f.pss!.value, (2 / 3 + 1) / 2);
  assert.equal(b!.original, 1);

  const rng = createRng(9);
  const random = Array.from({ length: 50 }, (_, k) =>
    group(
      `r${k}`,
      Array.from({ length: 1 + rng.int(6) }, () => randomText(rng)),
      [randomText(rng) || "x"],
    ),
  );
  for (const item of await evaluateItems(random, {
    similarity: rougeLSimilarity(),
    quality: rougeLQuality(),
  })) {
    const q = item.quality!;
    assert.ok(q.worst <= q.mean + 1e-15 && q.mean <= q.best + 1e-15, JSON.stringify(q));
    assert.ok(q.std >= 0 && q.gap === q.best - q.worst);
    assert.ok(q.pss === null || (q.pss >= 0 && q.pss <= q.gap + 1e-15));
  }
});

test("judge similarity: asks both orders and averages; rejects answers outside [0, 1]", async () => {
  const asked: string[] = [];
  const sim = judgeSimilarity(async (a, b) => {
    asked.push(`${a}|${b}`);
    return a < b;
  });
  assert.equal(await sim("a", "b"), 0.5);
  assert.deepEqual(asked.sort(), ["a|b", "b|a"]);
  assert.equal(await judgeSimilarity(async () => 0.7, { bothOrders: false })("a", "b"), 0.7);
  await assert.rejects(Promise.resolve(judgeSimilarity(async () => 1.5)("a", "b")), RangeError);
});

test("memoSimilarity: each ordered pair asked once, the answer kept", async () => {
  const asked: string[] = [];
  const sim = memoSimilarity(async (a, b) => {
    asked.push(`${a}|${b}`);
    return a === b ? 1 : 0.25;
  });
  assert.equal(await sim("a", "b"), 0.25);
  assert.equal(await sim("a", "b"), 0.25);
  assert.equal(await sim("b", "a"), 0.25);
  assert.equal(await sim("a", "a"), 1);
  assert.deepEqual(asked, ["a|b", "b|a", "a|a"]);
});
