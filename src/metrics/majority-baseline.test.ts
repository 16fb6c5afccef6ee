import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { majorityBaseline } from "./majority-baseline.js";

const group = (id: string, references: string[]): ParaphraseGroup => ({
  id,
  instruction: "x",
  input: id,
  references,
  variants: [{ text: "x", origin: "original" }],
});

test("majority baseline: the share of items the most frequent normalised gold answer is right for", () => {
  const groups = [
    group("A", ["yes"]),
    group("B", ["no"]),
    group("C", ["Yes."]),
    group("D", ["YES", "yes"]),
    group("E", []),
  ];
  // "yes" is right for A, C, D (D once, though two references spell it); E has no reference.
  assert.deepEqual(majorityBaseline(groups), { answer: "yes", value: 3 / 4, items: 4 });
  // An item with two different answers counts for both; the first seen wins a tie.
  const multi = [group("A", ["a", "b"]), group("B", ["b"]), group("C", ["a"])];
  assert.deepEqual(majorityBaseline(multi), { answer: "a", value: 2 / 3, items: 3 });
  assert.equal(majorityBaseline([group("E", [])]), null);
});
