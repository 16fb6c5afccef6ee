// What a trainer command's config does to the model it loads: `gradient_checkpointing` (the CLI's
// --gradient-checkpointing, `sft.` / `cat.` sections of calign run) turns block recomputation on.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { flatten } from "../config/index.js";
import { SFT_SCHEMA } from "./sft-schema.js";
import { startTrainingRun } from "./training-run.js";

test("startTrainingRun: gradient_checkpointing reaches the loaded model, off by default", async () => {
  const { dir, model } = tinyModelDir(5);
  model.dispose();
  const defaults = Object.fromEntries(flatten(SFT_SCHEMA).map(([k, o]) => [k, o.default]));
  const base = { ...defaults, model: dir, device: TEST_DEVICE, output: join(dir, "out") };
  for (const [config, want] of [
    [base, false],
    [{ ...base, gradient_checkpointing: true }, true],
  ] as const) {
    const run = await startTrainingRun(config, null);
    assert.equal(run.model.gradientCheckpointing, want);
    run.model.dispose();
  }
  rmSync(dir, { recursive: true, force: true });
});
