// LoRA: exactness of the hook (fresh and disabled adapters give the base logits bit for bit), merge
// and unmerge, PEFT's file layout and round trip, target selection, dropout, and forward, loss,
// gradients and merged weights against a PyTorch reference written from PEFT's definitions. On the
// test device; results come back to the host for the comparisons.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../test/fixtures.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { runPythonFile, torchUnavailable } from "../../test/helpers/torch-python.js";
import { enableGrad, Generator, noGrad, randn, type Tensor, tensor, tidy } from "../engine/index.js";
import { SafetensorsFile } from "../io/index.js";
import type { CausalLM } from "./causal-lm.js";
import { fromPretrained } from "./from-pretrained.js";
import { attachLora, type LoraModel, loraOf, withAdaptersDisabled } from "./lora.js";
import { defaultTargetModules, type LoraOptions, selectTargets } from "./lora-config.js";
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, loadLoraAdapter, saveLoraAdapter } from "./lora-files.js";
import { randomModel } from "./random-model.js";
import { saveHfDir } from "./save-model.js";

const SCRIPT = fileURLToPath(new URL("../../../test/reference/lora_reference.py", import.meta.url));

const IDS = [
  [5, 17, 3, 88, 41, 9, 60, 2, 33, 71],
  [0, 0, 0, 7, 7, 19, 80, 4, 26, 95],
];
const MASK = IDS.map((row, r) => row.map((_, i) => (i >= [0, 3][r]! ? 1 : 0)));

const CASES: [string, Record<string, unknown>, Partial<LoraOptions>][] = [
  ["llama tied, GQA", TINY["llama tied, GQA"]!, {}],
  [
    "qwen2 (QKV bias), all-linear, rsLoRA",
    TINY["qwen2 (QKV bias, GQA 4:1)"]!,
    {
      targetModules: ["all-linear"],
      useRslora: true,
    },
  ],
  ["gpt2 (Conv1D), c_attn + c_fc", TINY.gpt2!, { targetModules: ["c_attn", "c_fc"] }],
  ["gpt2 regex", TINY.gpt2!, { targetModules: String.raw`transformer\.h\.1\..*c_proj` }],
];

function options(modelType: string, o: Partial<LoraOptions> = {}): LoraOptions {
  return {
    r: 4,
    alpha: 8,
    dropout: 0,
    targetModules: defaultTargetModules(modelType),
    useRslora: false,
    ...o,
  };
}

function logits(model: CausalLM): Float32Array {
  return tidy(() =>
    noGrad(() =>
      Float32Array.from(
        model
          .forward(tensor(IDS, undefined, { dtype: "int64", device: model.device }), {
            attentionMask: tensor(MASK, undefined, { dtype: "int64", device: model.device }),
          })
          .toArray(),
      ),
    ),
  );
}

/** Largest |a - b| at real-token positions. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, V: number): number {
  let worst = 0;
  MASK.flat().forEach((m, pos) => {
    if (m === 1)
      for (let j = 0; j < V; j++) worst = Math.max(worst, Math.abs(a[pos * V + j]! - b[pos * V + j]!));
  });
  return worst;
}

/** B starts at zero (a no-op adapter); give A and B random values so the adapter changes the model. */
function randomizeAdapters(lora: LoraModel, seed: number): void {
  const g = new Generator(seed);
  tidy(() =>
    noGrad(() => {
      for (const t of lora.params.values()) t.copy_(randn(t.shape, g, { device: t.device }).mul(0.2));
    }),
  );
}

function snapshot(params: ReadonlyMap<string, Tensor>): Map<string, number[]> {
  return new Map([...params].map(([k, t]) => [k, t.toArray()]));
}

test("lora: a fresh adapter (B = 0) and disabled adapters give the base logits exactly", () => {
  for (const [name, config, o] of CASES) {
    const model = randomModel(config, 1, 0.1, TEST_DEVICE);
    const base = logits(model);
    const lora = attachLora(model, options(model.modelType, o), 7);
    assert.deepEqual(logits(model), base, `${name}: fresh adapter`);
    randomizeAdapters(lora, 3);
    const adapted = logits(model);
    assert.ok(maxDiff(adapted, base, model.vocabSize) > 1e-3, `${name}: the adapter changes the logits`);
    assert.deepEqual(
      withAdaptersDisabled(model, () => logits(model)),
      base,
      `${name}: disabled`,
    );
    assert.deepEqual(logits(model), adapted, `${name}: enabled again`);
    lora.remove();
    assert.deepEqual(logits(model), base, `${name}: removed`);
    model.dispose();
  }
});

test("lora: merged logits equal base + adapter; unmerge restores the weights", () => {
  for (const [name, config, o] of CASES) {
    const model = randomModel(config, 2, 0.1, TEST_DEVICE);
    const before = snapshot(model.params);
    const lora = attachLora(model, options(model.modelType, o), 8);
    randomizeAdapters(lora, 4);
    const adapted = logits(model);
    lora.merge();
    assert.ok(lora.merged);
    const diff = maxDiff(logits(model), adapted, model.vocabSize);
    process.stdout.write(`# ${name}: merged vs adapter logits max |diff| ${diff.toExponential(2)}\n`);
    assert.ok(diff < tolerance(1e-5), `${name}: merged logits differ by ${diff}`);
    assert.throws(() => withAdaptersDisabled(model, () => 0), /merged/);
    lora.unmerge();
    let worst = 0;
    for (const [k, t] of model.params) {
      const was = before.get(k)!;
      t.toArray().forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - was[i]!));
      });
    }
    assert.ok(worst < tolerance(1e-6), `${name}: unmerged weights differ from the base by ${worst}`);
    assert.ok(
      maxDiff(logits(model), adapted, model.vocabSize) < tolerance(1e-5),
      `${name}: adapter on after unmerge`,
    );
    lora.merge();
    lora.remove(); // merge_and_unload: the merged weights stay
    assert.ok(
      maxDiff(logits(model), adapted, model.vocabSize) < tolerance(1e-5),
      `${name}: merge and unload`,
    );
    model.dispose();
  }
});

test("lora: PEFT's file layout, and save → load gives identical logits", () => {
  const { dir, remove } = tempDir();
  try {
    const model = randomModel(TINY["llama tied, GQA"]!, 5, 0.1, TEST_DEVICE);
    const lora = attachLora(model, options("llama", { dropout: 0.05 }), 9);
    randomizeAdapters(lora, 6);
    const adapted = logits(model);
    saveLoraAdapter(lora, dir, "/models/base");
    const config = JSON.parse(readFileSync(join(dir, ADAPTER_CONFIG), "utf8"));
    assert.deepEqual(config, {
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      base_model_name_or_path: "/models/base",
      revision: null,
      inference_mode: true,
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      target_modules: ["q_proj", "k_proj", "v_proj", "o_proj"],
      bias: "none",
      fan_in_fan_out: false,
      init_lora_weights: true,
      modules_to_save: null,
      layers_to_transform: null,
      layers_pattern: null,
    });
    // hidden 32, 4 heads of 8, 2 KV heads: q and o are 32 wide, k and v 16.
    const file = SafetensorsFile.open(join(dir, ADAPTER_WEIGHTS));
    const shapes = Object.fromEntries(file.list().map((t) => [t.name, t.shape]));
    file.close();
    const expected: Record<string, number[]> = {};
    for (const layer of [0, 1])
      for (const [proj, out] of [
        ["q_proj", 32],
        ["k_proj", 16],
        ["v_proj", 16],
        ["o_proj", 32],
      ] as const) {
        const m = `base_model.model.model.layers.${layer}.self_attn.${proj}`;
        expected[`${m}.lora_A.weight`] = [4, 32];
        expected[`${m}.lora_B.weight`] = [out, 4];
      }
    assert.deepEqual(shapes, expected);
    const folder = join(dir, "base");
    saveHfDir(model, folder);
    lora.remove();
    const again = fromPretrained(folder, { device: TEST_DEVICE });
    const loaded = loadLoraAdapter(again, dir);
    assert.deepEqual(logits(again), adapted);
    assert.equal(loaded.options.dropout, 0.05);
    loaded.remove();
    // A second model with other shapes cannot take this adapter.
    const gpt2 = randomModel(TINY.gpt2!, 0, 0.1, TEST_DEVICE);
    assert.throws(() => loadLoraAdapter(gpt2, dir), /match no linear layer/);
    gpt2.dispose();
    again.dispose();
    model.dispose();
  } finally {
    remove();
  }
});

test("lora: GPT-2's Conv1D adapters are saved with fan_in_fan_out and nn.Linear shapes", () => {
  const { dir, remove } = tempDir();
  try {
    const model = randomModel(TINY.gpt2!, 0, 0.1, TEST_DEVICE);
    const lora = attachLora(model, options("gpt2", { targetModules: ["all-linear"] }));
    saveLoraAdapter(lora, dir, null);
    const config = JSON.parse(readFileSync(join(dir, ADAPTER_CONFIG), "utf8"));
    assert.equal(config.fan_in_fan_out, true);
    assert.deepEqual(config.target_modules, ["c_attn", "c_proj", "c_fc"]);
    const file = SafetensorsFile.open(join(dir, ADAPTER_WEIGHTS));
    const shape = (n: string) => file.list().find((t) => t.name === n)?.shape;
    assert.deepEqual(shape("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"), [4, 32]);
    assert.deepEqual(shape("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight"), [96, 4]);
    assert.deepEqual(shape("base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight"), [4, 128]);
    assert.deepEqual(shape("base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight"), [32, 4]);
    file.close();
    lora.remove();
    model.dispose();
  } finally {
    remove();
  }
});

test("lora: adapter files calign cannot honour are refused, naming the file", () => {
  const { dir, remove } = tempDir();
  try {
    const model = randomModel(TINY["llama untied"]!, 0, 0.1, TEST_DEVICE);
    const lora = attachLora(model, options("llama"));
    saveLoraAdapter(lora, dir, null);
    lora.remove();
    const path = join(dir, ADAPTER_CONFIG);
    const good = readFileSync(path, "utf8");
    const edit = (patch: Record<string, unknown>) =>
      writeFileSync(path, JSON.stringify({ ...JSON.parse(good), ...patch }));
    for (const [patch, pattern] of [
      [{ peft_type: "IA3" }, /peft_type "IA3" is not LORA/],
      [{ use_dora: true }, /use_dora true is not supported/],
      [{ bias: "all" }, /bias "all" is not supported/],
      [{ rank_pattern: { q_proj: 16 } }, /rank_pattern .* is not supported/],
      [{ r: 8 }, /shape \[4,32\] where the model needs \[8,32\]/],
      [{ target_modules: ["q_proj"] }, /tensors the adapter config does not target/],
    ] as const) {
      edit(patch);
      assert.throws(
        () => loadLoraAdapter(model, dir),
        (e: Error) => {
          assert.match(e.message, pattern);
          assert.ok(e.message.includes(dir), e.message);
          return true;
        },
      );
      assert.equal(loraOf(model), undefined, "a failed load leaves no adapters attached");
    }
    model.dispose();
  } finally {
    remove();
  }
});

test("lora: target_modules select as PEFT does", () => {
  const names = [
    "transformer.h.0.attn.c_attn",
    "transformer.h.0.attn.c_proj",
    "transformer.h.0.mlp.c_fc",
    "transformer.h.0.mlp.c_proj",
  ];
  assert.deepEqual(selectTargets(names, ["c_proj"]), [names[1], names[3]]);
  assert.deepEqual(selectTargets(names, ["attn.c_proj"]), [names[1]]);
  assert.deepEqual(selectTargets(names, ["all-linear"]), names);
  assert.deepEqual(selectTargets(names, String.raw`.*mlp\.c_(fc|proj)`), [names[2], names[3]]);
  assert.throws(() => selectTargets(names, "c_fc"), /match no linear layer/, "a regex matches whole names");
});

test("lora: errors name the problem", () => {
  const model = randomModel(TINY["llama untied"]!, 0, 0.1, TEST_DEVICE);
  assert.throws(() => attachLora(model, options("llama", { targetModules: ["c_attn"] })), /q_proj, k_proj/);
  assert.throws(() => attachLora(model, options("llama", { r: 0 })), /r must be a positive integer/);
  const lora = attachLora(model, options("llama"));
  assert.throws(() => attachLora(model, options("llama")), /already has adapters/);
  assert.throws(() => lora.unmerge(), /cannot unmerge adapters that are active/);
  lora.merge();
  assert.throws(() => lora.merge(), /cannot merge adapters that are merged/);
  lora.remove();
  model.dispose();
});

test("lora: dropout only in training, seeded; base weights frozen, adapters get gradients", () => {
  const model = randomModel(TINY["llama untied"]!, 0, 0.1, TEST_DEVICE);
  const lora = attachLora(model, options("llama", { dropout: 0.5 }), 1);
  randomizeAdapters(lora, 2);
  const evalOut = logits(model);
  assert.deepEqual(logits(model), evalOut);
  lora.training = true;
  lora.reseedDropout(11);
  const t1 = logits(model);
  lora.reseedDropout(11);
  assert.deepEqual(logits(model), t1, "same seed, same masks");
  assert.ok(maxDiff(t1, evalOut, model.vocabSize) > 1e-4, "dropout changes the training forward");
  lora.training = false;
  for (const t of lora.params.values()) t.setRequiresGrad(true);
  tidy(() =>
    enableGrad(() => {
      model
        .forward(tensor(IDS, undefined, { dtype: "int64", device: model.device }))
        .sum()
        .backward();
    }),
  );
  for (const t of model.params.values()) assert.equal(t.grad, null);
  for (const [k, t] of lora.params) assert.ok(t.grad !== null, `${k} has a gradient`);
  lora.remove();
  model.dispose();
});

const skip = torchUnavailable() ?? false;

test("lora: forward, loss, gradients of A and B, and merged weights match PyTorch (PEFT's definitions)", {
  skip,
}, () => {
  const { dir, remove } = tempDir();
  try {
    const jobs = CASES.map(([name, config, o], i) => {
      const model = randomModel(config, 20 + i, 0.1, TEST_DEVICE);
      const folder = join(dir, `m${i}`);
      saveHfDir(model, folder);
      const lora = attachLora(model, options(model.modelType, o), 30 + i);
      randomizeAdapters(lora, 40 + i);
      saveLoraAdapter(lora, join(folder, "adapter"), folder);
      return {
        name,
        model,
        lora,
        job: {
          config,
          weights: join(folder, "model.safetensors"),
          adapter: join(folder, "adapter"),
          ids: IDS,
          mask: MASK,
        },
      };
    });
    type Ref = {
      logits: number[];
      loss: number;
      grads: Record<string, number[]>;
      merged: Record<string, number[]>;
      modules: string[];
    };
    const refs = runPythonFile<Ref[]>(
      SCRIPT,
      jobs.map((j) => j.job),
    );
    jobs.forEach(({ name, model, lora }, i) => {
      const ref = refs[i]!;
      assert.deepEqual([...lora.modules].sort(), ref.modules, `${name}: targeted modules`);
      for (const t of lora.params.values()) t.setRequiresGrad(true);
      const { out, loss } = tidy(() =>
        enableGrad(() => {
          const ids = tensor(IDS, undefined, { dtype: "int64", device: model.device });
          const mask = tensor(MASK, undefined, { dtype: "int64", device: model.device });
          const lg = model.forward(ids, { attentionMask: mask });
          const T = IDS[0]!.length;
          const logp = lg
            .narrow(1, 0, T - 1)
            .logSoftmax(-1)
            .gather(2, ids.narrow(1, 1, T - 1).unsqueeze(-1))
            .squeeze(-1);
          const real = mask
            .narrow(1, 0, T - 1)
            .mul(mask.narrow(1, 1, T - 1))
            .to("float32");
          const l = logp.mul(real).sum().neg().div(real.sum());
          l.backward();
          return { out: lg.detach().toArray(), loss: l.item() };
        }),
      );
      const fwd = maxDiff(out, ref.logits, model.vocabSize);
      let grad = 0;
      let gradScale = 0;
      for (const [k, t] of lora.params) {
        const mine = t.grad!.toArray();
        ref.grads[k]!.forEach((v, j) => {
          grad = Math.max(grad, Math.abs(v - mine[j]!));
          gradScale = Math.max(gradScale, Math.abs(v));
        });
      }
      lora.merge();
      let merged = 0;
      for (const m of lora.modules) {
        const mine = model.params.get(`${m}.weight`)!.toArray();
        ref.merged[m]!.forEach((v, j) => {
          merged = Math.max(merged, Math.abs(v - mine[j]!));
        });
      }
      process.stdout.write(
        `# ${name}: max |diff| vs PyTorch: logits ${fwd.toExponential(2)}, loss ${Math.abs(loss - ref.loss).toExponential(2)}, grads ${grad.toExponential(2)} (max |grad| ${gradScale.toExponential(2)}), merged W ${merged.toExponential(2)}\n`,
      );
      assert.ok(fwd < tolerance(1e-4), `${name}: logits differ by ${fwd}`);
      assert.ok(Math.abs(loss - ref.loss) < tolerance(1e-5), `${name}: loss ${loss} vs ${ref.loss}`);
      assert.ok(grad < tolerance(1e-5), `${name}: gradients differ by ${grad}`);
      assert.ok(merged < tolerance(1e-6), `${name}: merged weights differ by ${merged}`);
      lora.remove();
      model.dispose();
    });
  } finally {
    remove();
  }
});
