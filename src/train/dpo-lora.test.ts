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

test("dpo --use-lora: reference = base with adapters off, step 0 at ln 2, preferences learned", async () => {
  const { dir, model } = tinyModelDir(70);
  model.dispose();
  try {
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
    const full = await runDpo(config({ ...common, output: join(dir, "full"), max_steps: 1 }));
    assert.equal(full.reference.hit, false);

    const out = join(dir, "lora");
    const lora = await runDpo(
      config({
        ...common,
        output: out,
        use_lora: true,
        lora_r: 4,
        lora_dropout: 0,
        lora_target_modules: ["all-linear"],
        epochs: 40,
        learning_rate: 3e-2,
      }),
    );
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
