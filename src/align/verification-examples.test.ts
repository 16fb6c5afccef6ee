// Stage 1's verification examples: labelled by the checker (normalised exact match), balanced, seeded,
// and asking exactly the question the reward stage scores.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MockBackend, type TextScoreItem } from "../backends/index.js";
import type { ParaphraseGroup } from "../data/index.js";
import { asPrompt, instancePrompt } from "./instance-prompt.js";
import { JUDGE_PROMPTS } from "./judge-prompt.js";
import { rewardCandidates } from "./reward.js";
import { verificationExamples } from "./verification-examples.js";

const item = (
  id: string,
  task: string | undefined,
  input: string,
  references: string[],
): ParaphraseGroup => ({
  id,
  ...(task === undefined ? {} : { task }),
  instruction: "Answer.",
  input,
  variants: [
    { text: "Answer.", origin: "original" },
    { text: "Reply to this: {input}", origin: "human" },
  ],
  references,
});

const groups: ParaphraseGroup[] = [
  item("r1", "reverse", "cat", ["tac"]),
  item("r2", "reverse", "dog", ["god"]),
  item("r3", "reverse", "pot", ["top"]),
  // Its task's other answer is "Yes." — equal to its reference "yes" after normalisation.
  item("y1", "yesno", "is 4 even?", ["yes"]),
  item("y2", "yesno", "is 2 even?", ["Yes."]),
  item("y3", "yesno", "is 3 even?", ["no"]),
  item("solo", "alone", "x", ["y"]),
  item("none", "reverse", "emu", []),
];

/** The item and the answer a verification prompt asks about, found back from its text. */
function parse(prompt: string): { input: string; answer: string } {
  const m = /(?:Response|Proposed answer): (.*)\n/.exec(prompt);
  const input = groups.find((g) => prompt.includes(g.input))?.input ?? "";
  return { input, answer: m?.[1] ?? "" };
}

test("verification examples: labels are the checker's, half Yes and half No per item, none without a wrong answer or references", () => {
  const { examples, summary } = verificationExamples(groups, { examplesPerItem: 4, seed: 1 });
  assert.deepEqual(summary, {
    examples: 24,
    yes: 12,
    no: 12,
    items: 6,
    noReferences: 1,
    noWrongAnswer: 1,
    tooLong: 0,
    nearMisses: 6,
  });
  const refs = new Map(groups.map((g) => [g.input, g.references]));
  const perInput = new Map<string, string[]>();
  for (const e of examples) {
    const { input, answer } = parse(e.prompt);
    perInput.set(input, [...(perInput.get(input) ?? []), e.completion]);
    // The label: the answer equals a reference after lowercasing and dropping punctuation.
    const norm = (s: string) => s.toLowerCase().replace(/[.]/g, "");
    const right = (refs.get(input) ?? []).some((r) => norm(r) === norm(answer));
    assert.equal(e.completion, right ? "Yes" : "No", e.prompt);
  }
  for (const labels of perInput.values()) {
    assert.equal(labels.filter((l) => l === "Yes").length, 2);
    assert.equal(labels.filter((l) => l === "No").length, 2);
  }
  // "Yes." is a correct answer to y1 (its reference is "yes"): it is taught as Yes there, never as No.
  const y1 = examples.filter((e) => parse(e.prompt).input === "is 4 even?");
  assert.ok(y1.every((e) => parse(e.prompt).answer !== "Yes." || e.completion === "Yes"));
  // Its wrong answers: the task's other answer "no", or a slip of its own ("yse", "ys", "yes" → "yeq").
  const wrong = y1.filter((e) => e.completion === "No").map((e) => parse(e.prompt).answer);
  assert.ok(
    wrong.every((a) => a === "no" || (a.length >= 2 && a.length <= 4 && a !== "yes")),
    wrong.join(),
  );
  // Half the No examples are near misses of the item's own answer, half other items' answers.
  const slips = examples.filter(
    (e) => e.completion === "No" && !groups.some((g) => g.references.includes(parse(e.prompt).answer)),
  );
  assert.equal(slips.length, summary.nearMisses);
  assert.equal(perInput.has("x"), false);
  assert.equal(perInput.has("emu"), false);
});

test("verification examples: an odd count alternates the extra label; seeded; 0 gives none", () => {
  const odd = verificationExamples(groups, { examplesPerItem: 3, seed: 2 });
  assert.equal(odd.summary.examples, 18);
  assert.equal(odd.summary.yes, 9);
  assert.equal(odd.summary.no, 9);
  assert.deepEqual(verificationExamples(groups, { examplesPerItem: 3, seed: 2 }), odd);
  assert.notDeepEqual(verificationExamples(groups, { examplesPerItem: 3, seed: 3 }).examples, odd.examples);
  assert.deepEqual(verificationExamples(groups, { examplesPerItem: 0, seed: 2 }).examples, []);
  // Every wording and every judge prompt is drawn.
  const { examples } = verificationExamples(groups, { examplesPerItem: 8, seed: 0 });
  assert.ok(examples.some((e) => e.prompt.includes("Reply to this: cat")));
  assert.ok(examples.some((e) => e.prompt.includes("Answer.\n\ncat")));
  for (const t of JUDGE_PROMPTS) {
    const tail = t.slice(t.lastIndexOf("\n"));
    assert.ok(examples.some((e) => e.prompt.endsWith(tail)));
  }
});

test("an item with an example the trainer cannot take whole gets none, so balance holds", () => {
  const all = verificationExamples(groups, { examplesPerItem: 4, seed: 1 });
  const fits = (e: { prompt: string }) => !e.prompt.includes("dog");
  const { examples, summary } = verificationExamples(groups, { examplesPerItem: 4, seed: 1, fits });
  assert.equal(summary.tooLong, 1);
  assert.equal(summary.items, 5);
  assert.deepEqual([summary.yes, summary.no], [10, 10]);
  assert.deepEqual(
    examples,
    all.examples.filter((e) => !e.prompt.includes("dog")),
  );
});

test("groups without a task are one task together", () => {
  const { summary } = verificationExamples(
    [item("a", undefined, "1", ["one"]), item("b", undefined, "2", ["two"])],
    { examplesPerItem: 2, seed: 0 },
  );
  assert.equal(summary.items, 2);
});

test("a verification example asks exactly what the reward stage scores, plain and through the chat template", async () => {
  const { examples } = verificationExamples(groups, { examplesPerItem: 6, seed: 4 });
  for (const chat of [false, true]) {
    for (const [k, template] of JUDGE_PROMPTS.entries()) {
      const e = examples.find((x) => x.prompt.endsWith(template.slice(template.lastIndexOf("\n"))));
      assert.ok(e !== undefined);
      const { input, answer } = parse(e.prompt);
      const g = groups.find((x) => x.input === input)!;
      const wording = g.variants.find((v) => e.prompt.includes(instancePrompt(v.text, g.input)))!.text;
      const scored: TextScoreItem[] = [];
      const backend = new MockBackend({
        score: (it) => {
          scored.push(it);
          return -1;
        },
      });
      await rewardCandidates(
        backend,
        [{ id: g.id, variant: 0, prompt: instancePrompt(wording, g.input), candidates: [answer] }],
        { method: "judge", judgePrompts: [template], chat, batch: 8 },
      );
      // The trainer wraps a plain-string prompt as asPrompt does (a user message, given chat).
      assert.deepEqual(
        scored.map((s) => [s.prompt, s.completion]),
        [
          [asPrompt(e.prompt, chat), "Yes"],
          [asPrompt(e.prompt, chat), "No"],
        ],
        `template ${k}, chat ${chat}`,
      );
    }
  }
});
