import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/index.js";
import { answerPattern } from "../metrics/index.js";
import { family, trainGroups, WORKED_ANSWER_PATTERN } from "../tasks/index.js";
import { buildPairs } from "./pairs.js";
import { sftExamples } from "./sft-data.js";

test("stage 1 trains each group on its target where it has one, on its first reference otherwise", () => {
  const group = (target?: string): ParaphraseGroup => ({
    id: "g",
    instruction: "Which is longer?",
    input: "kiwi, fig",
    variants: [
      { text: "Which is longer?", origin: "original" },
      { text: "Name the longer word.", origin: "rule" },
    ],
    references: ["kiwi", "KIWI"],
    ...(target === undefined ? {} : { target }),
  });
  assert.deepEqual(
    sftExamples([group()]).map((e) => e.completion),
    ["kiwi", "kiwi"],
  );
  const worked = "kiwi has 4 letters and fig has 3, so kiwi is the longer word.\nAnswer: kiwi";
  assert.deepEqual(
    sftExamples([group(worked)]).map((e) => e.completion),
    [worked, worked],
  );
  // The suite's worked groups: every target's answer, found by the pattern, is the group's reference.
  const answerOf = answerPattern(WORKED_ANSWER_PATTERN);
  const groups = trainGroups(family("more-letters"), {
    seed: 0,
    count: 30,
    worked: true,
    originalOnly: true,
  });
  for (const [i, e] of sftExamples(groups).entries()) {
    assert.match(e.completion, /letters and .* so .* is the longer word\.\nAnswer: /);
    assert.equal(answerOf(e.completion), groups[i]!.references[0]);
  }
});

test("the pairs against the checker compare their answers under an answer pattern", () => {
  const sets = [
    {
      id: "a",
      variant: 0,
      prompt: "p",
      candidates: ["so kiwi.\nAnswer: kiwi", "so fig.\nAnswer: fig"],
      rewards: [1, 0],
    },
  ];
  const references = new Map([["a", ["kiwi"]]]);
  const whole = buildPairs(sets, { mode: "best-worst", minGap: 0.1 }, references).summary.checker!;
  assert.equal(whole.bothWrong, 1, "whole responses never equal the reference");
  const answered = buildPairs(
    sets,
    { mode: "best-worst", minGap: 0.1 },
    references,
    answerPattern(WORKED_ANSWER_PATTERN),
  );
  assert.equal(answered.summary.checker!.rightOverWrong, 1);
  // The pairs themselves keep the whole responses: stage 2 trains on what the model said.
  assert.equal(answered.pairs[0]!.chosen, "so kiwi.\nAnswer: kiwi");
});
