// bf16 mixed precision: a linear layer under autocast equals PyTorch's bfloat16 matmul on the same
// inputs; training with bf16 keeps float32 master weights, starts at the float32 loss (to bf16
// rounding) and learns (on the test device); bf16 preference training scores its reference in bf16 too,
// so step 0 sees policy = reference (loss ln 2), under a cache entry of its own. The layer test stays on
// the CPU: its reference is PyTorch's CPU bfloat16 matmul, matched rounding for rounding.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { rng, uniform } from "../../test/helpers/random.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { TINY_PREFERENCES } from "../../test/helpers/tiny-preferences.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { testTrainerOptions } from "../../test/helpers/trainer-options.js";
import { type ConfigValue, flatten } from "../config/index.js";
import { peakDeviceMemory, tensor, tidy, withAutocast } from "../engine/index.js";
import { loadModel } from "../models/index.js";
import { LinearLayer } from "../models/linear-layer.js";
import { DPO_SCHEMA } from "./dpo-schema.js";
import { readMetrics } from "./metrics-log.js";
import { runDpo } from "./run-dpo.js";
import { sftObjective } from "./sft-objective.js";
import type { TokenizedExample } from "./tokenized-example.js";
import { train } from "./trainer.js";

test("a linear layer under bf16 autocast equals PyTorch's bfloat16 linear", (t) => {
  const why = torchUnavailable();
  if (why) return t.skip(why);
  const next = rng(5);
  const x = uniform(next, 3 * 8);
  const w = uniform(next, 5 * 8);
  const b = uniform(next, 5);
  const ours = tidy(() => {
    const layer = new LinearLayer(tensor(w, [5, 8]), tensor(b, [5]));
    const y = withAutocast("bfloat16", () => layer.forward(tensor(x, [3, 8])));
    assert.equal(y.dtype, "float32");
    return y.toArray();
  });
  const ref = runPython<number[]>(
    `import json, sys, torch
a = json.load(sys.stdin)
x, w, b = (torch.tensor(a[k], dtype=torch.float32) for k in ("x", "w", "b"))
y = torch.nn.functional.linear(x.reshape(3, 8).bfloat16(), w.reshape(5, 8).bfloat16(), b.bfloat16()).float()
print(json.dumps(y.reshape(-1).tolist()))`,
    { x, w, b },
  );
  for (const [i, v] of ours.entries())
    assert.ok(Math.abs(v - (ref[i] as number)) < 1e-6, `${i}: ${v} vs ${ref[i]}`);
});

test("bf16 training keeps float32 master weights, starts at the float32 loss and learns", async () => {
  const { dir } = tinyModelDir(41);
  try {
    const at = { file: "t", line: 1 };
    const examples: TokenizedExample[] = [
      { prompt: [256, 72, 105], completion: [33, 104, 101, 257], at },
      { prompt: [256, 97, 98, 99], completion: [100, 101, 257], at },
    ];
    const run = async (bf16: boolean) => {
      const model = loadModel(dir, { device: TEST_DEVICE });
      const out = join(dir, `out-${bf16}`);
      const r = await train(
        sftObjective(model, examples, null),
        testTrainerOptions(out, { epochs: 30, learningRate: 1e-2, bf16 }),
      );
      const first = readMetrics(join(out, "metrics.jsonl"))[0]?.loss ?? Number.NaN;
      const dtypes = new Set([...model.params.values()].map((p) => p.dtype));
      const { device } = model;
      model.dispose();
      return { r, dtypes, first, device };
    };
    const fp32 = await run(false);
    const bf16 = await run(true);
    assert.deepEqual([...bf16.dtypes], ["float32"]);
    assert.ok(
      Math.abs(bf16.first - fp32.first) < 0.05,
      `step-0 loss bf16 ${bf16.first} vs float32 ${fp32.first}`,
    );
    assert.equal(bf16.r.skippedSteps, 0);
    // Peak GPU memory is a metric exactly where the device reports one (a GPU, libtorch ≥ 2.9).
    const peak = fp32.r.lastMetrics?.["memory/max_allocated_gb"];
    if (peakDeviceMemory(fp32.device) === null) assert.equal(peak, undefined);
    else assert.ok(typeof peak === "number" && peak > 0, `memory/max_allocated_gb ${peak}`);
    assert.ok((bf16.r.lastMetrics?.loss ?? 9) < 1, `bf16 final loss ${bf16.r.lastMetrics?.loss}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bf16 preference training scores its reference in bf16: step 0 at ln 2, its own cache entry", async () => {
  const { dir, model } = tinyModelDir(43);
  model.dispose();
  try {
    const data = join(dir, "prefs.jsonl");
    writeFileSync(data, TINY_PREFERENCES.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const defaults = Object.fromEntries(flatten(DPO_SCHEMA).map(([k, o]) => [k, o.default]));
    const run = (bf16: boolean) =>
      runDpo({
        ...defaults,
        model: dir,
        device: TEST_DEVICE,
        data,
        output: join(dir, `out-${bf16}`),
        reference_cache: join(dir, "cache"),
        batch_size: 4,
        sft_weight: 0,
        logging_steps: 1,
        save_steps: 0,
        max_steps: 1,
        bf16,
      } as Record<string, ConfigValue>);
    const fp32 = await run(false);
    const bf16 = await run(true);
    assert.equal(bf16.reference.hit, false, "a float32 reference is not reused for bf16 training");
    assert.notEqual(bf16.reference.path, fp32.reference.path);
    for (const r of [fp32, bf16]) {
      const first = readMetrics(join(dir, `out-${r === bf16}`, "metrics.jsonl"))[0];
      const margin = first?.["rewards/margins"] as number;
      // Batched differently from the reference's scoring: exact on the CPU, to bf16 kernels on a GPU.
      const tol = tolerance(1e-6, r === bf16 ? "bfloat16" : "float32");
      assert.ok(Math.abs(margin) < tol, `margin ${margin} at step 0`);
      assert.ok(Math.abs((first?.["loss/preference"] as number) - Math.LN2) < tol);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
