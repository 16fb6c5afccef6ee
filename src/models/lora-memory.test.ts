// Repeated LoRA training steps on a frozen Llama keep RSS flat. Regression test for jemalloc's
// lg_extent_max_active_fit: with decay disabled, freed activations coalesce into dirty extents over
// 64× the size of the next requests, which jemalloc then refuses to split, so every step mapped
// ~35 MB of fresh pages (1.8 GB after 40 steps here) and ran slower from the page faults.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { liveTensors, tensor, tidy } from "../engine/index.js";
import { attachLora, randomModel } from "./index.js";

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1024;

test("40 LoRA forward+backward passes on a frozen Llama keep live tensors constant and RSS flat", () => {
  const model = randomModel(
    {
      model_type: "llama",
      hidden_size: 256,
      intermediate_size: 688,
      num_hidden_layers: 8,
      num_attention_heads: 8,
      num_key_value_heads: 4,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      max_position_embeddings: 256,
      vocab_size: 2000,
      tie_word_embeddings: false,
    },
    0,
  );
  const lora = attachLora(model, {
    r: 8,
    alpha: 16,
    dropout: 0,
    targetModules: ["q_proj", "k_proj", "v_proj", "o_proj"],
    useRslora: false,
  });
  for (const p of lora.params.values()) p.setRequiresGrad(true);
  const ids = tensor(
    Array.from({ length: 4 * 128 }, (_, i) => (i * 17) % 2000),
    [4, 128],
    { dtype: "int64" },
  );
  const step = () =>
    tidy(() => {
      model.logits(model.hidden(ids)).logSoftmax(-1).mean().backward();
    });
  for (let i = 0; i < 5; i++) step();
  const live = liveTensors();
  const before = rssMb();
  for (let i = 0; i < 35; i++) step();
  assert.equal(liveTensors(), live);
  const growth = rssMb() - before;
  // One step's activations are ~60 MB; a step that maps fresh memory grows by tens of MB each time.
  assert.ok(growth < 48, `RSS grew ${growth.toFixed(0)} MB over 35 steps`);
  ids.dispose();
  lora.remove();
  model.dispose();
});
