// Scoring: per-token log-probs equal a plain unbatched log-softmax over the concatenated ids, for any
// batch composition; the text wrapper tokenizes prompt and completion separately.
import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAtScale } from "../../test/helpers/close-at-scale.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { trainedLora } from "../../test/helpers/trained-lora.js";
import { cat, enableGrad, noGrad, stack, type Tensor, tensor, tidy, zeros } from "../engine/index.js";
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

test("score: LoRA (frozen head) log-probs and adapter gradients equal full logits, chunked and checkpointed", () => {
  const model = randomModel(TINY["llama tied, GQA"]!, 5, 0.5, TEST_DEVICE);
  const { lora, adapters } = trainedLora(model, 0, 2);
  try {
    const items = ITEMS.slice(0, 3);
    // A different upstream gradient for every token, as a DPO loss gives them.
    const weights = [
      [0.3, -1.2, 0.8, 2],
      [1.5, 0, 0, 0],
      [-0.7, 0.4, 0, 0],
    ];
    const run = (logprobsOf: () => Tensor) =>
      tidy(() =>
        enableGrad(() => {
          for (const p of adapters) p.grad = null;
          const logprobs = logprobsOf();
          logprobs
            .mul(tensor(weights, [3, 4], { device: TEST_DEVICE }))
            .sum()
            .backward();
          return { values: logprobs.toArray(), grads: adapters.map((p) => p.grad!.toArray()) };
        }),
      );
    const full = run(() => fullLogitsLogprobs(model, items));
    for (const [chunkColumns, checkpointed] of [
      [1, false],
      [3, true],
      [undefined, true],
    ] as const) {
      model.gradientCheckpointing = checkpointed;
      const chunked = run(() => completionLogprobs(model, items, { chunkColumns }).logprobs);
      assert.ok(closeAtScale(chunked.values, full.values, tolerance(1e-5)), "values");
      for (const [k, g] of full.grads.entries()) {
        assert.ok(
          g.some((v) => v !== 0),
          `adapter ${k} got a gradient`,
        );
        assert.ok(closeAtScale(chunked.grads[k]!, g, tolerance(1e-5)), `adapter ${k}`);
      }
    }
  } finally {
    lora.remove();
    model.dispose();
  }
});

/** (3, 4) completion log-probs of `items` from the whole (B, T, V) logits, one row per item, 0 in padding. */
function fullLogitsLogprobs(model: CausalLM, items: typeof ITEMS): Tensor {
  const rows = items.map(({ prompt, completion }) => {
    const ids = tensor([[...prompt, ...completion]], [1, prompt.length + completion.length], {
      dtype: "int64",
      device: TEST_DEVICE,
    });
    const target = tensor([completion], [1, completion.length, 1], { dtype: "int64", device: TEST_DEVICE });
    const logp = model
      .forward(ids)
      .narrow(1, prompt.length - 1, completion.length)
      .logSoftmax(-1)
      .gather(2, target)
      .reshape(completion.length);
    const pad = 4 - completion.length;
    return pad === 0 ? logp : cat([logp, zeros([pad], { device: TEST_DEVICE })], 0);
  });
  return stack(rows, 0);
}

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
