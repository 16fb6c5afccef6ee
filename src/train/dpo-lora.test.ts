// `calign dpo --use-lora`: the reference is the base with adapters disabled (the same log-probs, so the
// same cache entry, as full fine-tuning's), the first step sees policy = reference (B starts at zero),
// the adapters learn the preferences, and the outputs are the PEFT adapter plus the merged model.
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { TINY_PREFERENCES } from "../../test/helpers/tiny-preferences.js";
import { type ConfigValue, flatten } from "../config/index.js";
import { DPO_SCHEMA } from "./dpo-schema.js";
import { readMetrics } from "./metrics-log.js";
import { runDpo } from "./run-dpo.js";

const config = (over: Record<string, ConfigValue>): Record<string, ConfigValue> => ({
  ...Object.fromEntries(flatten(DPO_SCHEMA).map(([k, o]) => [k, o.default])),
  ...over,
});

/** The tiny model and its preference pairs, and the options every run here shares. */
function setup(seed: number) {
  const { dir, model } = tinyModelDir(seed);
  model.dispose();
  const data = join(dir, "prefs.jsonl");
  writeFileSync(data, TINY_PREFERENCES.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const common = {
    model: dir,
    device: TEST_DEVICE,
    data,
    reference_cache: join(dir, "cache"),
    batch_size: 4,
    sft_weight: 0,
    logging_steps: 1,
    save_steps: 0,
  };
  return { dir, common };
}

const LORA = { use_lora: true, lora_r: 4, lora_dropout: 0, lora_target_modules: ["all-linear"] };

test("dpo --use-lora: reference = base with adapters off, step 0 at ln 2, preferences learned", async () => {
  const { dir, common } = setup(70);
  try {
    const full = await runDpo(config({ ...common, output: join(dir, "full"), max_steps: 1 }));
    assert.equal(full.reference.hit, false);

    const out = join(dir, "lora");
    const lora = await runDpo(config({ ...common, ...LORA, output: out, epochs: 40, learning_rate: 3e-2 }));
    assert.equal(lora.reference.hit, true, "the base with adapters disabled is the full model's reference");
    assert.equal(lora.reference.path, full.reference.path);
    const metrics = readMetrics(join(out, "metrics.jsonl"));
    assert.ok(
      Math.abs((metrics[0]?.["loss/preference"] as number) - Math.LN2) < tolerance(1e-6),
      JSON.stringify(metrics[0]),
    );
    assert.equal(lora.lastMetrics?.["rewards/accuracies"], 1, JSON.stringify(lora.lastMetrics));
    assert.ok((lora.lastMetrics?.loss as number) < Math.LN2);
    assert.ok(existsSync(join(out, "model", "adapter_config.json")));
    assert.ok(existsSync(join(out, "model-merged", "model.safetensors")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dpo --use-lora --dtype bfloat16: the bfloat16 base is the reference (its own cache entry), step 0 at ln 2, preferences learned", async () => {
  const { dir, common } = setup(71);
  try {
    const f32 = await runDpo(config({ ...common, ...LORA, output: join(dir, "float32"), max_steps: 1 }));
    const out = join(dir, "bfloat16");
    const bf16 = await runDpo(
      config({ ...common, ...LORA, output: out, dtype: "bfloat16", epochs: 40, learning_rate: 3e-2 }),
    );
    assert.equal(bf16.reference.hit, false, "a bfloat16 base scores differently: not the float32 entry");
    assert.notEqual(bf16.reference.path, f32.reference.path);
    const metrics = readMetrics(join(out, "metrics.jsonl"));
    // Policy and reference are the same bfloat16 model at step 0 (B starts at zero). Not to the last
    // bit: the reference is scored in its own pass without gradients, and on a CPU with AMX the bf16
    // kernels of the two passes round differently (2.2e-4 on the loss measured on a 2-core Xeon with AMX,
    // 2026-12-07), so the bound is bf16's, not float32's.
    assert.ok(
      Math.abs((metrics[0]?.["loss/preference"] as number) - Math.LN2) < 1e-3,
      JSON.stringify(metrics[0]),
    );
    assert.equal(bf16.lastMetrics?.["rewards/accuracies"], 1, JSON.stringify(bf16.lastMetrics));
    assert.ok((bf16.lastMetrics?.loss as number) < Math.LN2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
