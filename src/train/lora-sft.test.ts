// `calign sft --use-lora` on the tiny model: the loss falls, checkpoints hold only the adapters, the
// base weights are untouched, model/ is a PEFT adapter and model-merged/ the same model merged; a run
// stopped and resumed (dropout on) ends with the adapter bytes of an uninterrupted run.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { loadConfig } from "../config/index.js";
import { noGrad, tensor, tidy } from "../engine/index.js";
import { SafetensorsFile } from "../io/index.js";
import { type CausalLM, fromPretrained, loadLoraAdapter } from "../models/index.js";
import { readMetrics } from "./metrics-log.js";
import { runSft } from "./run-sft.js";
import { SFT_SCHEMA } from "./sft-schema.js";

const WORDS = ["cat", "dog", "bird", "fish", "lion", "bear", "wolf", "deer"];

function setup(seed: number): { dir: string; data: string } {
  const { dir, model } = tinyModelDir(seed);
  model.dispose();
  const data = join(dir, "data.jsonl");
  writeFileSync(
    data,
    WORDS.map(
      (w) => `${JSON.stringify({ prompt: `Reverse ${w}:`, completion: [...w].reverse().join("") })}\n`,
    ).join(""),
  );
  return { dir, data };
}

function sftConfig(dir: string, data: string, output: string, extra: string[] = []) {
  const argv = ["--model", dir, "--data", data, "--output", output, "--use-lora", "--lora-r", "4"];
  const device = ["--device", TEST_DEVICE];
  const common = ["--batch-size", "4", "--learning-rate", "1e-2", "--logging-steps", "1", "--seed", "3"];
  return Object.fromEntries(loadConfig(SFT_SCHEMA, [...argv, ...device, ...common, ...extra]).values);
}

function logits(model: CausalLM): number[] {
  const ids = tensor([[256, 82, 101, 118, 58, 32, 116, 97, 99]], undefined, {
    dtype: "int64",
    device: model.device,
  });
  return tidy(() => noGrad(() => model.forward(ids).toArray()));
}

function tensorNames(path: string): string[] {
  const f = SafetensorsFile.open(path);
  const names = f.list().map((t) => t.name);
  f.close();
  return names.sort();
}

/** The dtypes a safetensors file stores (F32, BF16, ...). */
function storedDtypes(path: string): string[] {
  const f = SafetensorsFile.open(path);
  const dtypes = new Set(f.list().map((t) => t.dtype));
  f.close();
  return [...dtypes];
}

test("sft --use-lora: loss falls, adapters only in checkpoints, base untouched, adapter + merged model", async () => {
  const { dir, data } = setup(21);
  try {
    const out = join(dir, "run");
    const r = await runSft(sftConfig(dir, data, out, ["--epochs", "20", "--save-steps", "10"]));
    const losses = readMetrics(join(out, "metrics.jsonl")).map((m) => m.loss as number);
    assert.equal(r.steps, 40);
    // The frozen head and embeddings bound how far adapters on attention alone get a random model.
    const last = (losses.at(-1)! + losses.at(-2)! + losses.at(-3)!) / 3;
    assert.ok(last < 0.85 * losses[0]!, `loss ${losses[0]} → ${last} (last three steps)`);
    assert.equal(r.modelDir, join(out, "model"));
    const adapterNames = tensorNames(join(out, "model", "adapter_model.safetensors"));
    assert.equal(adapterNames.length, 2 * 4 * 2, "q, k, v, o × A, B × 2 layers");
    assert.ok(
      adapterNames.every((n) =>
        /^base_model\.model\.model\.layers\.\d\.self_attn\.[qkvo]_proj\.lora_[AB]\.weight$/.test(n),
      ),
    );
    assert.deepEqual(tensorNames(join(out, "checkpoint-40", "model.safetensors")), adapterNames);
    const adapterConfig = JSON.parse(readFileSync(join(out, "model", "adapter_config.json"), "utf8"));
    assert.equal(adapterConfig.base_model_name_or_path, dir);
    assert.deepEqual([adapterConfig.r, adapterConfig.lora_alpha, adapterConfig.lora_dropout], [4, 16, 0.05]);

    const base = fromPretrained(dir, { device: TEST_DEVICE });
    const merged = fromPretrained(join(out, "model-merged"), { device: TEST_DEVICE });
    const targeted = (n: string) => /self_attn\.[qkvo]_proj\.weight$/.test(n);
    for (const [name, t] of base.params) {
      const same = JSON.stringify(t.toArray()) === JSON.stringify(merged.params.get(name)!.toArray());
      assert.equal(same, !targeted(name), `${name}: ${targeted(name) ? "merged" : "untouched"}`);
    }
    const mergedLogits = logits(merged);
    loadLoraAdapter(base, join(out, "model"));
    const worst = Math.max(...logits(base).map((v, i) => Math.abs(v - mergedLogits[i]!)));
    assert.ok(worst < tolerance(1e-5), `base + adapter vs merged: max |diff| ${worst}`);
    base.dispose();
    merged.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sft --use-lora: stop then --resume gives the uninterrupted run's adapter bit for bit", async () => {
  const { dir, data } = setup(22);
  try {
    const extra = ["--epochs", "6", "--gradient-accumulation", "2", "--lora-dropout", "0.3"];
    await runSft(sftConfig(dir, data, join(dir, "full"), extra));
    const cut = join(dir, "cut");
    let steps = 0;
    const stopped = await runSft(sftConfig(dir, data, cut, extra), {
      progress: (p) => {
        steps = p.step;
      },
      shouldStop: () => steps >= 4,
    });
    assert.ok(stopped.stopped && stopped.steps === 4);
    await runSft(sftConfig(dir, data, cut, [...extra, "--resume"]));
    const weights = (run: string) => readFileSync(join(dir, run, "model", "adapter_model.safetensors"));
    assert.ok(weights("full").equals(weights("cut")), "adapter bytes differ after resume");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sft --use-lora --dtype bfloat16: a bfloat16 base, float32 adapters, the float32 run's losses to bfloat16 precision", async () => {
  const { dir, data } = setup(23);
  try {
    const extra = ["--epochs", "5", "--lora-dropout", "0"];
    const runs = {} as Record<"float32" | "bfloat16", number[]>;
    for (const dtype of ["float32", "bfloat16"] as const) {
      const out = join(dir, dtype);
      await runSft(sftConfig(dir, data, out, [...extra, "--dtype", dtype]));
      runs[dtype] = readMetrics(join(out, "metrics.jsonl")).map((m) => m.loss as number);
    }
    const [f32, bf16] = [runs.float32, runs.bfloat16];
    assert.equal(bf16.length, f32.length);
    // bfloat16 keeps 8 bits of mantissa (relative rounding 2^-9 per weight): the losses agree to about a percent.
    for (const [i, l] of bf16.entries())
      assert.ok(Math.abs(l - f32[i]!) <= 0.03 * f32[i]!, `step ${i + 1}: loss ${l} vs float32 ${f32[i]}`);
    assert.ok(bf16.at(-1)! < 0.9 * bf16[0]!, `loss ${bf16[0]} → ${bf16.at(-1)}`);

    const out = join(dir, "bfloat16");
    assert.deepEqual(storedDtypes(join(out, "model", "adapter_model.safetensors")), ["F32"]);
    assert.deepEqual(storedDtypes(join(out, "checkpoint-10", "model.safetensors")), ["F32"]);
    assert.deepEqual(storedDtypes(join(out, "model-merged", "model.safetensors")), ["BF16"]);
    const base = fromPretrained(dir, { device: TEST_DEVICE, dtype: "bfloat16" });
    const merged = fromPretrained(join(out, "model-merged"), { device: TEST_DEVICE });
    assert.equal(merged.dtype, "bfloat16");
    const mergedLogits = logits(merged);
    loadLoraAdapter(base, join(out, "model"));
    const worst = Math.max(...logits(base).map((v, i) => Math.abs(v - mergedLogits[i]!)));
    const scale = Math.max(...mergedLogits.map(Math.abs));
    assert.ok(worst < 0.02 * scale, `base + adapter vs merged, bfloat16: max |diff| ${worst} of ${scale}`);
    base.dispose();
    merged.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
