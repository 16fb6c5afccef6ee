import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { createRng, type Rng } from "../util/random.js";
import { type CollapseFigures, collapseFigures } from "./collapse.js";
import { collapseFlag } from "./collapse-flag.js";
import { evaluateItems } from "./item.js";
import { exactMatchQuality } from "./quality.js";
import { rougeLSimilarity } from "./similarity.js";

const WORDINGS = ["w0 {input}", "w1 {input}", "w2 {input}", "w3 {input}", "w4 {input}", "w5 {input}"];
const GOLD: Record<string, string[]> = { yesno: ["yes", "no"], digits: ["one", "two", "three", "four"] };

/** Two tasks of 20 items; each item answered under 4 of the 6 wordings, drawn per item (as the suite does). */
function items(seed: number): ParaphraseGroup[] {
  const rng = createRng(seed);
  return Array.from({ length: 40 }, (_, i) => {
    const task = i % 2 === 0 ? "yesno" : "digits";
    const gold = GOLD[task]![rng.int(GOLD[task]!.length)]!;
    const wordings = [...WORDINGS].sort(() => rng.next() - 0.5).slice(0, 4);
    return {
      id: `${task}-${i}`,
      task,
      instruction: wordings[0]!,
      input: `input ${i}`,
      references: [gold],
      variants: wordings.map((text) => ({ text, origin: "held-out" })),
    };
  });
}

type Model = (group: ParaphraseGroup, wording: string, rng: Rng) => string;

async function figures(groups: ParaphraseGroup[], model: Model, seed = 1): Promise<CollapseFigures> {
  const rng = createRng(seed);
  const answered = groups.map((g) => ({
    ...g,
    variants: g.variants.map((v) => ({ ...v, response: model(g, v.text, rng) })),
  }));
  const results = await evaluateItems(answered, {
    similarity: rougeLSimilarity(),
    quality: exactMatchQuality,
  });
  return collapseFigures(answered, results, { chance: (t) => (t === "yesno" ? 1 / 2 : null) });
}

/** The most frequent gold answer of a task, counted here by hand from the data. */
function majorityOf(groups: ParaphraseGroup[], task: string): { answer: string; share: number } {
  const inTask = groups.filter((g) => g.task === task);
  const counts = GOLD[task]!.map((a) => inTask.filter((g) => g.references[0] === a).length);
  const best = counts.indexOf(Math.max(...counts));
  return { answer: GOLD[task]![best]!, share: counts[best]! / inTask.length };
}

test("collapse: a constant-answer model has input sensitivity 0, CR 1 and accuracy = the majority baseline", async () => {
  const groups = items(7);
  const constant: Model = (g) => majorityOf(groups, g.task!).answer;
  const f = await figures(groups, constant);
  assert.deepEqual(
    f.tasks.map((t) => t.task),
    ["digits", "yesno"],
  );
  for (const t of f.tasks) {
    const m = majorityOf(groups, t.task);
    assert.equal(t.items, 20);
    assert.ok(t.inputSensitivity.pairs > 0);
    assert.equal(t.inputSensitivity.value, 0);
    assert.equal(t.cr, 1);
    assert.equal(t.majority, m.share);
    assert.equal(t.majorityAnswer, m.answer);
    assert.equal(t.accuracy, m.share);
    // Consistent everywhere, right only where the constant is the gold answer.
    assert.equal(t.crCorrect, m.share);
  }
  assert.equal(f.tasks[1]!.chance, 1 / 2);
  assert.equal(f.tasks[0]!.chance, null);
  assert.equal(f.macro.chance, null, "not every task has a chance level");
  assert.equal(f.macro.inputSensitivity, 0);
  assert.equal(f.macro.cr, 1);
});

test("collapse: an oracle has input sensitivity 1 over the pairs whose gold differs, and CR on correct = CR", async () => {
  const groups = items(8);
  // Right every time, in varied spelling, so CR (ROUGE-L between responses) stays 1 while exact match holds.
  const oracle: Model = (g, _w, rng) =>
    rng.next() < 0.5 ? g.references[0]! : `${g.references[0]!.toUpperCase()}.`;
  const f = await figures(groups, oracle);
  for (const t of f.tasks) {
    // The pairs, counted independently: per wording, all pairs of its items minus those with equal gold.
    let expected = 0;
    for (const w of WORDINGS) {
      const golds = groups.filter((g) => g.task === t.task && g.variants.some((v) => v.text === w));
      const choose2 = (n: number) => (n * (n - 1)) / 2;
      expected += choose2(golds.length);
      for (const a of GOLD[t.task]!) expected -= choose2(golds.filter((g) => g.references[0] === a).length);
    }
    assert.deepEqual(t.inputSensitivity, { pairs: expected, changed: expected, value: 1 });
    assert.equal(t.accuracy, 1);
    assert.equal(t.cr, 1);
    assert.equal(t.crCorrect, t.cr);
  }
  assert.equal(
    f.macro.sensitivityPairs,
    f.tasks[0]!.inputSensitivity.pairs + f.tasks[1]!.inputSensitivity.pairs,
  );
});

test("collapse: a hand-computed task (accuracy, CR, CR on correct answers, sensitivity)", async () => {
  const g = (id: string, gold: string, responses: string[]): ParaphraseGroup => ({
    id,
    task: "t",
    instruction: "a",
    input: id,
    references: [gold],
    variants: responses.map((response, i) => ({ text: ["a", "b", "c"][i]!, origin: "held-out", response })),
  });
  const groups = [g("1", "yes", ["yes", "yes", "no"]), g("2", "no", ["yes", "no", "no"])];
  const results = await evaluateItems(groups, { similarity: rougeLSimilarity(), quality: exactMatchQuality });
  const [t] = collapseFigures(groups, results).tasks;
  // Item 1: pairs (yes,yes)=1, (yes,no)=0, (yes,no)=0: CR 1/3; both correct only in the first pair: 1/3.
  // Item 2: (yes,no)=0, (yes,no)=0, (no,no)=1: CR 1/3; the (no,no) pair is correct: 1/3.
  assert.equal(t!.cr, 1 / 3);
  assert.equal(t!.crCorrect, 1 / 3);
  assert.equal(t!.accuracy, 2 / 3);
  assert.equal(t!.majority, 1 / 2);
  // Wording a: yes/yes unchanged; b: yes/no changed; c: no/no unchanged. Gold differs in every pair.
  assert.deepEqual(t!.inputSensitivity, { pairs: 3, changed: 1, value: 1 / 3 });
  // Wrong answers that agree count in CR but not in CR on correct answers.
  const wrong = [g("3", "yes", ["no", "no", "no"])];
  const [w] = collapseFigures(
    wrong,
    await evaluateItems(wrong, { similarity: rougeLSimilarity(), quality: exactMatchQuality }),
  ).tasks;
  assert.equal(w!.cr, 1);
  assert.equal(w!.crCorrect, 0);
});

test("collapse: items must be the groups' results in order", async () => {
  const groups = items(1).slice(0, 3);
  const results = await evaluateItems(
    groups.map((x) => ({ ...x, variants: x.variants.map((v) => ({ ...v, response: "yes" })) })),
    { similarity: rougeLSimilarity(), quality: exactMatchQuality },
  );
  assert.throws(() => collapseFigures(groups, [...results].reverse()), /same order/);
});

test("collapse flag: fires on a synthetic collapse, not on a genuine improvement", async () => {
  const groups = items(11);
  // The baseline reads its input but is thrown by some wordings: wrong (a wording-dependent word) 40 % of the time.
  const noisy: Model = (g, w, rng) => (rng.next() < 0.6 ? g.references[0]! : `maybe ${w.slice(0, 2)}`);
  const collapsed: Model = (g) => majorityOf(groups, g.task!).answer;
  const oracle: Model = (g) => g.references[0]!;
  const base = { name: "sft_ia", collapse: await figures(groups, noisy) };
  const cat = { name: "cat", collapse: await figures(groups, collapsed) };
  const better = { name: "cat", collapse: await figures(groups, oracle) };

  const flag = collapseFlag(cat, base);
  assert.ok(flag !== null, "a constant answer raises CR and must be flagged");
  assert.equal(flag.system, "cat");
  assert.equal(flag.baseline, "sft_ia");
  assert.ok(flag.figures.cr.difference! > 0);
  assert.ok(flag.figures.inputSensitivity.difference! < 0);
  assert.equal(flag.figures.inputSensitivity.system, 0);
  assert.equal(flag.figures.cr.system, 1);
  assert.match(flag.reason, /^CR \+\d+\.\d pts over sft_ia with input sensitivity -\d+\.\d pts/);
  assert.deepEqual(flag.tasks, ["digits", "yesno"]);

  assert.equal(collapseFlag(better, base), null, "CR up with accuracy and sensitivity up is no collapse");
  assert.equal(collapseFlag(base, cat), null, "CR down is never flagged");
});

test("collapse flag: moves under min_change (1 point by default) count as none", () => {
  const macro = (cr: number, accuracy: number, inputSensitivity: number): CollapseFigures => ({
    macro: {
      tasks: 1,
      accuracy,
      majority: 0.5,
      chance: null,
      inputSensitivity,
      sensitivityPairs: 10,
      cr,
      crCorrect: null,
    },
    tasks: [],
  });
  const b = { name: "b", collapse: macro(0.5, 0.8, 0.9) };
  const small = { name: "a", collapse: macro(0.505, 0.8, 0.895) };
  assert.equal(collapseFlag(small, b), null);
  assert.equal(
    collapseFlag(small, b, 0.001)?.reason.startsWith("CR +0.5 pts over b with input sensitivity -0.5 pts"),
    true,
  );
  const big = { name: "a", collapse: macro(0.6, 0.78, 0.9) };
  assert.deepEqual(collapseFlag(big, b)?.figures.accuracy.difference, 0.78 - 0.8);
  assert.match(collapseFlag(big, b)!.reason, /^CR \+10\.0 pts over b with accuracy -2\.0 pts/);
});
