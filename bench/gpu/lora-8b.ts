// The 8B memory check of issue 11 (bench/gpu/run.sh): a Llama-3-8B-shaped model with random bfloat16
// weights on the GPU and LoRA r 16 on q/k/v/o (float32 adapters, AdamW), trained through calign's
// trainer for a few steps of each: SFT on 8 × 1024 tokens, the same with gradient checkpointing, and
// the CAT step (DPO sigmoid + λ·SFT, λ 1, reference log-probs computed once before) on 4 chosen/rejected
// pairs of 1024 tokens with gradient checkpointing; and batched scoring (no grad) of those 8 sequences,
// whose sums are the CAT step's reference. Prints per run the median step time, tokens/s and the peak
// GPU memory in GB (the trainer's memory/max_allocated_gb; null on the CPU), one JSON line each; a run
// that fails prints its error instead.
//   node dist/bench/gpu/lora-8b.js DEVICE [tiny]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peakDeviceMemory } from "../../src/engine/index.js";
import { attachLora, randomModel, scoreTokens } from "../../src/models/index.js";
import { loraObjective } from "../../src/train/lora-objective.js";
import type { PreferenceExample } from "../../src/train/preference-examples.js";
import { preferenceObjective } from "../../src/train/preference-objective.js";
import { sftObjective } from "../../src/train/sft-objective.js";
import { type TrainingObjective, train } from "../../src/train/trainer.js";
import { testTrainerOptions } from "../../test/helpers/trainer-options.js";
import { median } from "../bench-util.js";
import { LLAMA3_8B, tiny } from "./shapes.js";

const [device = "cuda:0", size] = process.argv.slice(2);
const config = size === "tiny" ? tiny(LLAMA3_8B) : LLAMA3_8B;
const V = Number(config.vocab_size);
const SEQ = size === "tiny" ? 64 : 1024;
const PROMPT = SEQ / 16;
const STEPS = 4; // the first is warm-up
const at = { file: "bench", line: null };
const row = (r: number) => Array.from({ length: SEQ }, (_, i) => 3 + ((r * 7919 + i * 104729) % (V - 3)));

const model = randomModel(config, 0, 0.02, device, "bfloat16");
const lora = attachLora(model, {
  r: 16,
  alpha: 32,
  dropout: 0,
  targetModules: ["q_proj", "k_proj", "v_proj", "o_proj"],
  useRslora: false,
});
const dir = mkdtempSync(join(tmpdir(), "calign-bench-lora-8b-"));

/** `rows` examples per step (SFT rows or CAT pairs), `sequences` of SEQ tokens among them. */
async function run(
  name: string,
  objective: TrainingObjective,
  rows: number,
  sequences: number,
  checkpointing: boolean,
) {
  model.gradientCheckpointing = checkpointing;
  const o = testTrainerOptions(join(dir, name), {
    epochs: STEPS,
    maxSteps: STEPS,
    batchSize: rows,
    learningRate: 1e-5,
    groupByLength: false,
  });
  const ms: number[] = [];
  const peaks: number[] = [];
  let t0 = performance.now();
  await train(loraObjective(objective, lora, o), o, {
    progress: (p) => {
      const t = performance.now();
      if (p.step > 1) ms.push(t - t0);
      peaks.push(p.metrics?.["memory/max_allocated_gb"] ?? Number.NaN);
      t0 = t;
    },
  });
  report(name, ms, sequences, Math.max(...peaks));
}

function report(name: string, ms: number[], sequences: number, peakGb: number | null) {
  const stepMs = median(ms);
  const line = {
    run: name,
    stepMs: Math.round(stepMs),
    tokensPerSecond: Math.round((sequences * SEQ * 1000) / stepMs),
    peakGb,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** A run that fails (out of GPU memory, say) is reported as such, and the later ones still run. */
async function attempt(name: string, fn: () => unknown) {
  try {
    await fn();
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    process.stdout.write(`${JSON.stringify({ run: name, error })}\n`);
  }
}

try {
  const sftItems = Array.from({ length: 8 }, (_, r) => {
    const ids = row(r);
    return { prompt: ids.slice(0, PROMPT), completion: ids.slice(PROMPT), at };
  });
  const sft = sftObjective(model, sftItems, null);
  await attempt("lora-sft", () => run("lora-sft", sft, 8, 8, false));
  await attempt("lora-sft-checkpointing", () => run("lora-sft-checkpointing", sft, 8, 8, true));
  const pairs: PreferenceExample[] = Array.from({ length: 4 }, (_, r) => {
    const chosen = row(2 * r);
    const rejected = row(2 * r + 1);
    return {
      prompt: chosen.slice(0, PROMPT),
      responses: [chosen.slice(PROMPT), rejected.slice(PROMPT)],
      rewards: [1, 0],
      chosen: 0,
      rejected: 1,
      at,
    };
  });
  // The reference is the starting model (adapters' B at zero): its sums computed once, as calign dpo;
  // the same call, repeated, is the scoring benchmark (adapters attached, as in PyTorch's).
  const flat = pairs.flatMap((p) => p.responses.map((completion) => ({ prompt: p.prompt, completion })));
  let refs: number[][] | null = null;
  await attempt("score", () => {
    peakDeviceMemory(device, true);
    const ms: number[] = [];
    let scores = scoreTokens(model, flat, { batchSize: 8 });
    for (let i = 1; i < STEPS; i++) {
      const t0 = performance.now();
      scores = scoreTokens(model, flat, { batchSize: 8 });
      ms.push(performance.now() - t0);
    }
    const peak = peakDeviceMemory(device, true);
    report("score", ms, 8, peak === null ? null : peak / 1e9);
    refs = pairs.map((_, i) => [scores[2 * i]!.sum, scores[2 * i + 1]!.sum]);
  });
  await attempt("lora-cat-checkpointing", () => {
    if (refs === null) throw new Error("no reference log-probs: scoring failed");
    const cat = preferenceObjective(
      model,
      pairs,
      refs,
      { loss: "sigmoid", beta: 0.1, labelSmoothing: 0, sftWeight: 1 },
      null,
    );
    return run("lora-cat-checkpointing", cat, 4, 8, true);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
