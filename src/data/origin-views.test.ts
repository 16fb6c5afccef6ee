// originViews on hand-made groups: which variants each view keeps, and their recorded log-probs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "./group.js";
import { originViews } from "./origin-views.js";

const g = (id: string, origins: string[]): ParaphraseGroup => ({
  id,
  instruction: "w0",
  input: "",
  references: [],
  variants: origins.map((origin, i) => ({
    text: `w${i}`,
    origin,
    response: `r${i}`,
    responseTokens: 1,
    logprobs: origins.map((_, j) => -(10 * i + j)),
  })),
});

test("origin views keep each origin's variants, in order of first appearance, log-probs cut to match", () => {
  const views = originViews([g("a", ["seed", "held-out", "seed"]), g("b", ["held-out"])]);
  assert.deepEqual([...views.keys()], ["seed", "held-out"]);
  const seed = views.get("seed")!;
  assert.deepEqual(
    seed.map((x) => x.id),
    ["a"],
  );
  assert.deepEqual(
    seed[0]!.variants.map((v) => [v.text, v.logprobs]),
    [
      ["w0", [-0, -2]],
      ["w2", [-20, -22]],
    ],
  );
  assert.deepEqual(
    views.get("held-out")!.map((x) => [x.id, x.variants.map((v) => v.text)]),
    [
      ["a", ["w1"]],
      ["b", ["w0"]],
    ],
  );
});

test("one origin: no views", () => {
  assert.equal(originViews([g("a", ["rule", "rule"])]).size, 0);
});
