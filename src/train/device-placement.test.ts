// Device placement without a GPU. The model's weights sit on the test device (CALIGN_TEST_DEVICE,
// "cpu" in CI) while tensors created without a device go to libtorch's `meta` device (shapes, no
// data). A tensor that a model, KV cache, scorer, loss or trainer creates without naming the model's
// device then meets the model's tensors and libtorch refuses ("Expected all tensors to be on the same
// device", or no Meta kernel for the op); one that slips through a lenient op leaves a meta result,
// caught by the asserts on the outputs. On a GPU, the same mistake fails between cpu and cuda.
// (Weights on meta instead cannot work with Debian's libtorch 1.13: its C++ build has no Meta kernel
// for index_select, so not even the embedding runs.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import type { Location } from "../data/index.js";
import {
  AdamW,
  clipGradNorm,
  type Tensor,
  tensor,
  tidy,
  withAutocast,
  withDefaultDevice,
} from "../engine/index.js";
import {
  attachLora,
  type CausalLM,
  completionLogprobs,
  generate,
  randomModel,
  scoreTokens,
} from "../models/index.js";
import { preferenceObjective } from "./preference-objective.js";
import { sftObjective } from "./sft-objective.js";

const AT: Location = { file: "placement.jsonl", line: 1 };
/** Every architecture and variant of the model tests: GPT-2, and the Llama family's GQA, bias and RoPE kinds. */
const ARCHITECTURES = Object.keys(TINY);
const PREFERENCE_LOSSES = ["sigmoid", "hinge", "ipo", "ranking"] as const;

function onTestDevice(t: Tensor, what: string): Tensor {
  assert.equal(t.device, TEST_DEVICE, `${what} is on ${t.device}`);
  return t;
}

for (const name of ARCHITECTURES) {
  test(`${name} with LoRA: every tensor a forward, scoring, generation and the losses create is on the model's device`, () => {
    const model = randomModel(TINY[name]!, 0, 0.02, TEST_DEVICE);
    assert.equal(model.device, TEST_DEVICE);
    withDefaultDevice("meta", () => {
      const lora = attachLora(model, {
        r: 4,
        alpha: 8,
        dropout: 0.1,
        targetModules: ["all-linear"],
        useRslora: false,
      });
      try {
        tidy(() => {
          const device = TEST_DEVICE;
          const ids = tensor(
            [
              [0, 5, 6],
              [7, 8, 9],
            ],
            [2, 3],
            { dtype: "int64", device },
          );
          const mask = tensor(
            [
              [0, 1, 1],
              [1, 1, 1],
            ],
            [2, 3],
            { dtype: "int64", device },
          );
          onTestDevice(model.forward(ids, { attentionMask: mask }), "padded forward");
          onTestDevice(model.forward(ids), "forward");
          const cache = model.newCache(2, 4);
          model.hidden(ids, { cache });
          onTestDevice(model.hidden(ids.narrow(1, 0, 1), { cache }), "cached step");
          cache.dispose();
        });
        // Greedy and sampled decoding with a repetition penalty (left padding, KV cache, sampler), past
        // the dynamic-RoPE variant's 6 positions so its tables are rebuilt mid-generation; a repeated
        // prompt is prefilled once and its cache rows copied.
        const prompts = [[1, 2, 3], [4], [1, 2, 3]];
        assert.equal(generate(model, prompts, { maxNewTokens: 5 }).length, 3);
        generate(model, prompts, {
          maxNewTokens: 5,
          temperature: 0.8,
          topK: 5,
          topP: 0.9,
          repetitionPenalty: 1.3,
          seed: 1,
        });

        // Training from here: adapters take gradients, dropout draws its masks.
        lora.training = true;
        for (const p of lora.params.values()) p.setRequiresGrad(true);
        const items = [
          { prompt: [1, 2], completion: [3, 4, 5] },
          { prompt: [1], completion: [6] },
        ];
        tidy(() => onTestDevice(completionLogprobs(model, items).logprobs, "completion log-probs"));
        // Scoring without grad, as the preference trainers' reference pass.
        assert.equal(scoreTokens(model, items).length, 2);
        const sft = sftObjective(model, [{ ...items[0]!, completionMask: [0, 1, 1], at: AT }], "placement");
        tidy(() => onTestDevice(sft.loss([0], 1, 0, [0]).loss, "SFT loss").backward());
        for (const loss of PREFERENCE_LOSSES) preferenceStep(model, loss);
        checkpointedStep(model, sft);
        for (const p of lora.params.values()) onTestDevice(p.grad as Tensor, "a LoRA gradient");
        optimizerStep([...lora.params.values()]);
      } finally {
        lora.remove();
      }
    });
    model.dispose();
  });

  test(`${name}, full fine-tuning: the SFT and preference losses' backward reach every weight on the model's device`, () => {
    const model = randomModel(TINY[name]!, 0, 0.02, TEST_DEVICE);
    for (const p of model.params.values()) p.setRequiresGrad(true);
    withDefaultDevice("meta", () => {
      const sft = sftObjective(
        model,
        [{ prompt: [1, 2], completion: [3, 4], completionMask: [0, 1], at: AT }],
        "placement",
      );
      tidy(() => onTestDevice(sft.loss([0], 1, 0, [0]).loss, "SFT loss").backward());
      preferenceStep(model, "sigmoid");
      // A trained LM head under checkpointing recomputes its log-prob chunks in backward.
      checkpointedStep(model, sft);
      optimizerStep([...model.params.values()]);
    });
    for (const [key, p] of model.params) onTestDevice(p.grad as Tensor, `${key}'s gradient`);
    model.dispose();
  });
}

/** The SFT loss and its backward with every decoder block recomputed in backward, under bf16 autocast. */
function checkpointedStep(model: CausalLM, sft: ReturnType<typeof sftObjective>): void {
  model.gradientCheckpointing = true;
  try {
    tidy(() => {
      const { loss } = withAutocast("bfloat16", () => sft.loss([0], 1, 0, [0]));
      onTestDevice(loss, "checkpointed bf16 SFT loss").backward();
    });
  } finally {
    model.gradientCheckpointing = false;
  }
}

/** The rest of a training step: gradient clipping and AdamW. */
function optimizerStep(params: Tensor[]): void {
  clipGradNorm(params, 1);
  new AdamW([{ params, lr: 1e-3 }]).step();
  for (const p of params) onTestDevice(p, "a trained weight");
}

/** One preference loss (+ λ·SFT) and its backward on a pair, its reference sums given. */
function preferenceStep(model: CausalLM, loss: (typeof PREFERENCE_LOSSES)[number]): void {
  const examples = [
    { prompt: [1, 2], responses: [[3], [4, 5]], rewards: [1, 0], chosen: 0, rejected: 1, at: AT },
  ];
  const opts = { loss, beta: 0.1, labelSmoothing: 0, sftWeight: 1 };
  const objective = preferenceObjective(model, examples, [[-1, -2]], opts, "placement");
  tidy(() => onTestDevice(objective.loss([0], 1, 0, [0]).loss, `${loss} loss`).backward());
}

test("a tensor created without the model's device is caught", () => {
  const model = randomModel(TINY["llama untied"]!, 0, 0.02, TEST_DEVICE);
  const ids = tensor([[1, 2]], [1, 2], { dtype: "int64", device: TEST_DEVICE });
  withDefaultDevice("meta", () => {
    // What a model that built its positions with a bare tensor() would hand to F.embedding / RoPE.
    const strayPositions = tensor([[0, 1]], [1, 2], { dtype: "int64" });
    assert.throws(() => tidy(() => model.hidden(ids).add(strayPositions.unsqueeze(-1))), /device|Meta/);
  });
  model.dispose();
});
