// Agreement guarded by the judge, and the judge's health against the checker, on a mock judge.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MockBackend, type Prompt } from "../backends/index.js";
import { answerPattern, rouge } from "../metrics/index.js";
import { rewardCandidates } from "./reward.js";
import type { CandidateSet } from "./sample.js";

const text = (p: Prompt) => (typeof p === "string" ? p : p.map((m) => m.content).join("\n"));

/** A judge whose P(Yes) is `p(response)`: log P(Yes) = log p, log P(No) = log (1 - p). */
function judge(p: (response: string) => number): MockBackend {
  return new MockBackend({
    score: (it) => {
      const response = /Response: (.*)\n/.exec(text(it.prompt))?.[1] ?? "";
      return Math.log(it.completion === "Yes" ? p(response) : 1 - p(response));
    },
  });
}
const opts = { judgePrompts: ["Response: {response}\n{prompt}"], chat: false, batch: 4 };

test("guarded agreement: one constant answer to every input is paid below anything the judge accepts", async () => {
  // Every wording of every item answered "yes" (collapse), next to some varied answers.
  const sets = (): CandidateSet[] => [
    { id: "a", variant: 0, prompt: "p0", candidates: ["yes", "tac"] },
    { id: "a", variant: 1, prompt: "p1", candidates: ["yes", "tac", "cat"] },
    { id: "b", variant: 0, prompt: "q0", candidates: ["yes", "god"] },
    { id: "b", variant: 1, prompt: "q1", candidates: ["yes", "dgo"] },
  ];
  const unguarded = sets();
  await rewardCandidates(
    judge(() => 0.5),
    unguarded,
    { ...opts, method: "agreement_unguarded" },
  );
  // Unguarded, the constant answer agrees best and is paid most in every set.
  for (const s of unguarded) assert.equal(Math.max(...s.rewards!), s.rewards![0], s.prompt);

  const guarded = sets();
  const accepts = new Set(["tac", "cat", "god"]);
  const health = await rewardCandidates(
    judge((r) => (accepts.has(r) ? 0.9 : r === "dgo" ? 0.4 : 0.2)),
    guarded,
    {
      ...opts,
      method: "agreement",
    },
  );
  // "yes" is rejected everywhere: P(Yes) − 1, below every accepted candidate, and it counts for no one.
  for (const s of guarded) assert.ok(Math.abs(s.rewards![0]! - (0.2 - 1)) < 1e-12, s.prompt);
  // An accepted candidate: mean ROUGE-L F1 to the other wording's accepted candidates only.
  const f1 = (a: string, b: string) => rouge(a, b).rougeL.f1;
  assert.equal(guarded[0]!.rewards![1], (f1("tac", "tac") + f1("cat", "tac")) / 2);
  assert.deepEqual(guarded[1]!.rewards!.slice(1), [1, f1("tac", "cat")]);
  // b's other wording has no accepted candidate: nothing to agree with (0), still above the rejected.
  assert.equal(guarded[2]!.rewards![1], 0);
  // A set the judge rejects whole: its candidates ordered by P(Yes), so the judge's pair remains.
  const [yes, dgo] = guarded[3]!.rewards!;
  assert.ok(Math.abs(dgo! - (0.4 - 1)) < 1e-12 && dgo! > yes!);
  assert.equal(health.method, "agreement");
  assert.equal(health.accepted, 4 / 9);
  assert.equal(health.checker, null, "no references given");
});

test("judge health against the checker: verdicts at P(Yes) = 0.5 and the AUC, over items with references", async () => {
  const p: Record<string, number> = { tac: 0.9, cat: 0.6, act: 0.3, god: 0.4, dog: 0.7 };
  const sets: CandidateSet[] = [
    { id: "a", variant: 0, prompt: "p", candidates: ["tac", "cat", "act"] },
    { id: "b", variant: 0, prompt: "q", candidates: ["God!", "dog"] },
    { id: "c", variant: 0, prompt: "r", candidates: ["tac", "cat"] },
  ];
  const references = new Map([
    ["a", ["tac"]],
    ["b", ["god"]],
  ]);
  const health = await rewardCandidates(
    judge((r) => p[r] ?? p[r.toLowerCase().replace("!", "")]!),
    sets,
    {
      ...opts,
      method: "judge",
      references,
    },
  );
  // Checker (exact match after normalisation): tac ✓, cat ✗, act ✗, "God!" ✓, dog ✗; item c has no references.
  // Judge verdicts (>= 0.5): tac ✓, cat ✓, act ✗, God! ✗ (0.4), dog ✓ → agrees on tac and act: 2 of 5.
  // AUC: positives 0.9, 0.4 against negatives 0.6, 0.3, 0.7: 0.9 beats 3, 0.4 beats 1 → 4 / 6.
  assert.deepEqual(health.checker, { candidates: 5, correct: 2 / 5, agreement: 2 / 5, auc: 4 / 6 });
  // Spread over every candidate's reward (P(Yes)), and each set's best-worst gap.
  const all = [0.9, 0.6, 0.3, 0.4, 0.7, 0.9, 0.6];
  const mean = all.reduce((a, b) => a + b) / all.length;
  assert.ok(Math.abs(health.mean - mean) < 1e-12);
  assert.ok(
    Math.abs(health.std - Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length)) < 1e-12,
  );
  assert.ok(Math.abs(health.meanRange - (0.6 + 0.3 + 0.3) / 3) < 1e-12);
  assert.equal(health.tieRate, 0);
  assert.equal(health.accepted, 5 / 7);

  // A method without P(Yes): the AUC of its rewards, no verdicts.
  const ref = await rewardCandidates(new MockBackend(), sets.slice(0, 2), {
    ...opts,
    method: "reference",
    references,
  });
  assert.equal(ref.checker?.agreement, null);
  assert.equal(ref.accepted, null);
  assert.equal(ref.checker?.auc, 1);
});

test("contrastive agreement: an answer given to every input earns 0, one specific to its input what its wordings agree on less what other inputs share", async () => {
  const sets: CandidateSet[] = [
    // Task "rev": item a's wordings agree on its own answer; every input is also answered "yes".
    { id: "a", task: "rev", variant: 0, prompt: "a0", candidates: ["yes", "tac"] },
    { id: "a", task: "rev", variant: 1, prompt: "a1", candidates: ["yes", "tac"] },
    { id: "b", task: "rev", variant: 0, prompt: "b0", candidates: ["yes", "god"] },
    { id: "b", task: "rev", variant: 1, prompt: "b1", candidates: ["yes", "dog"] },
    // Another task is never contrasted with "rev"; an item with one variant has nothing to agree with.
    { id: "c", task: "sum", variant: 0, prompt: "c0", candidates: ["tac", "4"] },
    { id: "c", task: "sum", variant: 1, prompt: "c1", candidates: ["tac", "4"] },
    { id: "d", task: "sum", variant: 0, prompt: "d0", candidates: ["5"] },
  ];
  await rewardCandidates(
    judge(() => 0.5),
    sets,
    { ...opts, method: "agreement_contrastive" },
  );
  const f1 = (x: string, y: string) => rouge(x, y).rougeL.f1;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  // "yes" agrees with half of a's other wording and half of b's candidates: 1/2 − 1/2.
  for (const s of sets.slice(0, 4)) assert.equal(s.rewards![0], 0, s.prompt);
  // "tac" for a: agreement 1/2 (its other wording says yes and tac), less 0 (b never says tac).
  assert.equal(sets[0]!.rewards![1], 0.5);
  // b's "god": its other wording's candidates, less a's four.
  const againstA = mean(["yes", "tac", "yes", "tac"].map((o) => f1(o, "god")));
  assert.equal(sets[2]!.rewards![1], mean([f1("yes", "god"), f1("dog", "god")]) - againstA);
  // c's "tac" is contrasted with d's "5" only (task sum), not with a's "tac".
  assert.equal(sets[4]!.rewards![0], 0.5 - f1("5", "tac"));
  assert.deepEqual(sets[6]!.rewards, [0]);
  // Unguarded, the constant answer is paid as much as the input's own.
  const unguarded = sets.slice(0, 4).map((s) => ({ ...s, rewards: undefined }));
  await rewardCandidates(
    judge(() => 0.5),
    unguarded,
    { ...opts, method: "agreement_unguarded" },
  );
  assert.deepEqual(unguarded[0]!.rewards, [0.5, 0.5]);
});

test("with an answer pattern, the judge, agreement and the checker see each candidate's answer, not its working", async () => {
  const answerOf = answerPattern("Answer: *(.*)");
  const sets = (): CandidateSet[] => [
    { id: "a", variant: 0, prompt: "a0", candidates: ["cat backwards is tac.\nAnswer: tac", "tac"] },
    { id: "a", variant: 1, prompt: "a1", candidates: ["Reversed, cat is tac.\nAnswer: tac"] },
  ];
  const worded = sets();
  await rewardCandidates(
    judge(() => 0.5),
    worded,
    { ...opts, method: "agreement_unguarded" },
  );
  // Whole candidates share little text; their answers are the same.
  assert.ok(worded[1]!.rewards![0]! < 0.9);
  const answered = sets();
  const seen: string[] = [];
  const health = await rewardCandidates(
    judge((r) => {
      seen.push(r);
      return 0.8;
    }),
    answered,
    { ...opts, method: "agreement", answerOf, references: new Map([["a", ["tac"]]]) },
  );
  assert.deepEqual(answered[1]!.rewards, [1]);
  assert.deepEqual(answered[0]!.rewards, [1, 1]);
  // The judge is asked about the answers (each twice: once for Yes, once for No).
  assert.deepEqual([...new Set(seen)], ["tac"]);
  assert.equal(health.checker?.correct, 1, "every answer is the reference");
  // loglik scores what the model generated, working included.
  const scored: string[] = [];
  const loglik = sets();
  await rewardCandidates(
    new MockBackend({
      score: (it) => {
        scored.push(it.completion);
        return -1;
      },
    }),
    loglik,
    { ...opts, method: "loglik", answerOf },
  );
  assert.deepEqual(
    scored,
    loglik.flatMap((s) => s.candidates),
  );
});
