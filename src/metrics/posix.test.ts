import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { evaluateItem, recordedScorer } from "./item.js";
import { posixItem, posixWithModel } from "./posix.js";
import { exactMatchQuality } from "./quality.js";
import { exactMatchSimilarity } from "./similarity.js";

test("POSIX: hand-computed two-variant case, recorded log-probs and a model scorer agree", async () => {
  // M[i][j] = log P(y_j | x_i); tokens(y_0) = 1, tokens(y_1) = 3.
  const M = [
    [-1, -5],
    [-3, -2],
  ];
  const tokens = [1, 3];
  // psi = (|M[0][1] - M[1][1]| / 3 + |M[1][0] - M[0][0]| / 1) / 2 = (1 + 2) / 2
  assert.equal(await posixItem(2, (i, j) => ({ logprob: M[i]![j]!, tokens: tokens[j]! })), 1.5);
  const group: ParaphraseGroup = {
    id: "g",
    instruction: "x0",
    input: "in",
    variants: [0, 1].map((i) => ({
      text: `x${i}`,
      origin: i === 0 ? "original" : "model",
      response: `y${i}`,
      logprobs: M[i]!,
      responseTokens: tokens[i]!,
    })),
    references: [],
  };
  const item = await evaluateItem(group, {
    similarity: exactMatchSimilarity,
    quality: exactMatchQuality,
    scorer: recordedScorer,
  });
  assert.equal(item.posix, 1.5);
  const viaModel = await posixWithModel(
    group.variants.map((v) => ({ text: v.text, response: v.response! })),
    "in",
    async (prompt, response) => {
      assert.equal(prompt.input, "in");
      return {
        logprob: M[Number(prompt.instruction[1])]![Number(response[1])]!,
        tokens: tokens[Number(response[1])]!,
      };
    },
  );
  assert.equal(viaModel, 1.5);
});

test("POSIX: 0 when every prompt gives every response the same probability; null with one variant; bad scores rejected", async () => {
  assert.equal(await posixItem(4, (_i, j) => ({ logprob: -j - 1, tokens: 2 })), 0);
  assert.equal(await posixItem(1, () => ({ logprob: -1, tokens: 1 })), null);
  await assert.rejects(
    posixItem(2, () => ({ logprob: 0.5, tokens: 1 })),
    RangeError,
  );
  await assert.rejects(
    posixItem(2, () => ({ logprob: -1, tokens: 0 })),
    RangeError,
  );
  const noLogprobs: ParaphraseGroup = {
    id: "g",
    instruction: "x",
    input: "",
    variants: [{ text: "x", origin: "original", response: "y" }],
    references: [],
  };
  assert.equal(recordedScorer(noLogprobs), null);
});
