import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { inputSensitivity } from "./input-sensitivity.js";

/** A group answering `answers` (wording text -> response), with these references. */
function group(id: string, references: string[], answers: [string, string][]): ParaphraseGroup {
  return {
    id,
    task: "t",
    instruction: "x",
    input: id,
    references,
    variants: answers.map(([text, response]) => ({ text, origin: "held-out", response })),
  };
}

test("input sensitivity: a hand-worked case (pairs by wording text, gold must differ, answers normalised)", () => {
  const groups = [
    group(
      "A",
      ["yes"],
      [
        ["W1", "yes"],
        ["W2", "Yes."],
      ],
    ),
    group(
      "B",
      ["no"],
      [
        ["W2", "no"],
        ["W1", "yes"],
      ],
    ),
    group(
      "C",
      ["Yes"],
      [
        ["W1", "no"],
        ["W3", "no"],
      ],
    ),
  ];
  // W1: (A,B) gold differs, yes = yes: unchanged; (A,C) gold the same ("yes"): not a pair; (B,C)
  // gold differs, yes vs no: changed. W2: (A,B) gold differs, "Yes." vs "no": changed. W3: C alone.
  assert.deepEqual(inputSensitivity(groups), { pairs: 3, changed: 2, value: 2 / 3 });
});

test("input sensitivity: no pair without shared wordings, without differing gold, or without references", () => {
  const own = [group("A", ["a"], [["W1", "a"]]), group("B", ["b"], [["W2", "b"]])];
  assert.deepEqual(inputSensitivity(own), { pairs: 0, changed: 0, value: null });
  const sameGold = [group("A", ["a"], [["W", "a"]]), group("B", ["A."], [["W", "b"]])];
  assert.deepEqual(inputSensitivity(sameGold), { pairs: 0, changed: 0, value: null });
  const noRefs = [group("A", [], [["W", "a"]]), group("B", ["b"], [["W", "b"]])];
  assert.deepEqual(inputSensitivity(noRefs), { pairs: 0, changed: 0, value: null });
  // One item under the same wording twice is not a pair of different instances.
  const twice = [
    group(
      "A",
      ["a"],
      [
        ["W", "a"],
        ["W", "b"],
      ],
    ),
  ];
  assert.deepEqual(inputSensitivity(twice), { pairs: 0, changed: 0, value: null });
});

test("input sensitivity: gold answers differ only when no reference of one equals one of the other", () => {
  const groups = [
    group("A", ["a", "x"], [["W", "1"]]),
    group("B", ["b", "X"], [["W", "2"]]),
    group("C", ["c"], [["W", "3"]]),
  ];
  // (A,B) share "x" after normalisation; (A,C) and (B,C) differ, and both answers change.
  assert.deepEqual(inputSensitivity(groups), { pairs: 2, changed: 2, value: 1 });
});
