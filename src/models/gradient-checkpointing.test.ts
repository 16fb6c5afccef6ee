// Gradient checkpointing per decoder block (and per chunk of the LM head's log-probs) gives the
// gradients of the plain backward pass: full fine-tuning and LoRA (dropout masks redrawn alike), Llama
// (GQA) and GPT-2, padded batches, float32 and bf16 autocast.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { trainedLora } from "../../test/helpers/trained-lora.js";
import { enableGrad, type Tensor, tidy, withAutocast } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import { loraOf } from "./lora.js";
import { randomModel } from "./random-model.js";
import { completionLogprobs } from "./score.js";

const ITEMS = [
  { prompt: [1, 5, 17], completion: [3, 88, 41, 9] },
  { prompt: [1], completion: [7, 2] },
  { prompt: [1, 44, 13, 6, 60, 2, 8], completion: [12, 50] },
];

/** Every trained parameter's gradient of the summed completion log-probs (LoRA dropout reseeded). */
function gradients(model: CausalLM, trained: Tensor[], checkpointed: boolean, autocast: "bfloat16" | null) {
  model.gradientCheckpointing = checkpointed;
  loraOf(model)?.reseedDropout(7);
  for (const p of trained) p.grad = null;
  const loss = tidy(() =>
    enableGrad(() => {
      const { logprobs } = withAutocast(autocast, () => completionLogprobs(model, ITEMS));
      const l = logprobs.sum().neg();
      l.backward();
      return l.item();
    }),
  );
  return { loss, grads: trained.map((p) => p.grad!.toArray()) };
}

function assertClose(a: ReturnType<typeof gradients>, b: ReturnType<typeof gradients>, tol: number) {
  assert.ok(Math.abs(a.loss - b.loss) <= tol * Math.abs(a.loss), `loss ${a.loss} vs ${b.loss}`);
  for (const [k, g] of a.grads.entries()) {
    const scale = Math.max(...g.map(Math.abs));
    assert.ok(scale > 0, `parameter ${k} got a gradient`);
    for (const [i, v] of g.entries())
      assert.ok(Math.abs(v - b.grads[k]![i]!) <= tol * scale, `parameter ${k}[${i}]`);
  }
}

for (const name of ["llama tied, GQA", "gpt2"]) {
  test(`gradient checkpointing (${name}): full fine-tuning gradients equal the plain pass, also under bf16 autocast`, () => {
    const model = randomModel(TINY[name]!, 3, 0.3, TEST_DEVICE);
    try {
      const trained = [...model.params.values()].map((p) => p.setRequiresGrad(true));
      // The LM head's chunks are recomputed in backward too (engine/row-local.ts), under the same autocast.
      for (const autocast of [null, "bfloat16"] as const)
        assertClose(
          gradients(model, trained, false, autocast),
          gradients(model, trained, true, autocast),
          tolerance(1e-5),
        );
    } finally {
      model.dispose();
    }
  });

  test(`gradient checkpointing (${name}): LoRA gradients with dropout equal the plain pass, also under bf16 autocast`, () => {
    const model = randomModel(TINY[name]!, 3, 0.3, TEST_DEVICE);
    const { lora, adapters: trained } = trainedLora(model, 0.2, 1);
    // The recompute must draw the same dropout masks as the first run.
    lora.training = true;
    try {
      for (const autocast of [null, "bfloat16"] as const)
        assertClose(
          gradients(model, trained, false, autocast),
          gradients(model, trained, true, autocast),
          tolerance(1e-5),
        );
    } finally {
      lora.remove();
      model.dispose();
    }
  });
}
