// Scoring: per-token log-probs equal a plain unbatched log-softmax over the concatenated ids, for any
// batch composition; the text wrapper tokenizes prompt and completion separately.
import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAtScale } from "../../test/helpers/close-at-scale.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { enableGrad, noGrad, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import { randomModel } from "./random-model.js";
import { completionLogprobs, lengthBatches, scoreTokens } from "./score.js";

const ITEMS = [
  { prompt: [1, 5, 17], completion: [3, 88, 41, 9] },
  { prompt: [1], completion: [7] },
  { prompt: [1, 44, 13, 6, 60, 2, 8], completion: [12, 50] },
  { prompt: [1, 9], completion: [] },
];

test("lengthBatches: shortest prompt + completion first, ties in input order, the last batch short", () => {
  // Total lengths 7, 2, 9, 2.
  assert.deepEqual(lengthBatches(ITEMS, 3), [[1, 3, 0], [2]]);
  assert.deepEqual(lengthBatches(ITEMS, 8), [[1, 3, 0, 2]]);
  assert.deepEqual(lengthBatches([], 2), []);
});

/** log p of each completion token from one unpadded forward pass. */
function direct(model: CausalLM, prompt: number[], completion: number[]): number[] {
  return tidy(() =>
    noGrad(() => {
      const ids = [...prompt, ...completion];
      const logp = model
        .forward(tensor([ids], undefined, { dtype: "int64", device: TEST_DEVICE }))
        .logSoftmax(-1)
        .select(0, 0);
      return completion.map((tok, i) =>
        logp
          .select(0, prompt.length - 1 + i)
          .select(0, tok)
          .item(),
      );
    }),
  );
}

for (const name of ["gpt2", "qwen2 (QKV bias, GQA 4:1)"]) {
  test(`score (${name}): batched per-token log-probs equal an unbatched log-softmax`, () => {
    const model = randomModel(TINY[name]!, 5, 0.5, TEST_DEVICE);
    try {
      for (const batchSize of [1, 3, 8]) {
        const scores = scoreTokens(model, ITEMS, { batchSize });
        scores.forEach((s, i) => {
          const want = direct(model, ITEMS[i]!.prompt, ITEMS[i]!.completion);
          assert.equal(s.tokenLogprobs.length, want.length);
          for (const [j, lp] of s.tokenLogprobs.entries())
            assert.ok(Math.abs(lp - want[j]!) < tolerance(1e-5), `item ${i} token ${j}`);
          assert.ok(Math.abs(s.sum - want.reduce((a, b) => a + b, 0)) < tolerance(1e-4));
        });
      }
    } finally {
      model.dispose();
    }
  });
}

test("score: log-probs in chunks of columns equal one pass, values and gradients", () => {
  const model = randomModel(TINY["llama tied, GQA"]!, 5, 0.5, TEST_DEVICE);
  try {
    const params = [...model.params.values()];
    for (const p of params) p.setRequiresGrad(true);
    const run = (chunkColumns?: number) =>
      tidy(() =>
        enableGrad(() => {
          for (const p of params) p.grad = null;
          const { logprobs } = completionLogprobs(model, ITEMS, { chunkColumns });
          logprobs.sum().backward();
          return { values: logprobs.toArray(), grads: params.map((p) => p.grad!.toArray()) };
        }),
      );
    const whole = run();
    for (const chunkColumns of [1, 3]) {
      const chunked = run(chunkColumns);
      assert.ok(closeAtScale(chunked.values, whole.values, tolerance(1e-5)), "values");
      for (const [k, g] of whole.grads.entries())
        assert.ok(closeAtScale(chunked.grads[k]!, g, tolerance(1e-5)), `gradient ${k}`);
    }
  } finally {
    model.dispose();
  }
});

test("score: completionLogprobs is differentiable for trainers", () => {
  const model = randomModel(TINY["llama untied"]!, 5, 0.5, TEST_DEVICE);
  try {
    for (const p of model.params.values()) p.setRequiresGrad(true);
    tidy(() =>
      enableGrad(() => {
        const { logprobs } = completionLogprobs(model, ITEMS.slice(0, 3));
        logprobs.sum().backward();
      }),
    );
    const g = model.params.get("model.layers.0.self_attn.q_proj.weight")!.grad;
    assert.ok(g !== null && g.abs().sum().item() > 0);
  } finally {
    model.dispose();
  }
});
