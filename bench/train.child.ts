// One benchmark process for calign: the same training step as bench/train_torch.py, through calign's
// trainer pieces (sftObjective's loss, the preference loss, AdamW, clipping); prints per-step ms as JSON.
import { readFileSync } from "node:fs";
import { AdamW, clipGradNorm, type Tensor, tensor, tidy } from "../src/engine/index.js";
import { attachLora, completionLogprobs, fromPretrained } from "../src/models/index.js";
import { preferenceLoss } from "../src/train/losses/preference.js";
import { sumLogps } from "../src/train/losses/sequence-logps.js";
import { sftLoss } from "../src/train/losses/sft.js";
import { sftObjective } from "../src/train/sft-objective.js";

const [folder, mode, warmup, timed, workJson] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const work = JSON.parse(workJson) as {
  ids: number[][];
  promptLen: number;
  refChosen?: number[];
  refRejected?: number[];
  lora?: { r: number; alpha: number };
};
const model = fromPretrained(folder);
// LoRA modes train adapters on the attention projections only (PEFT's defaults: r 8, alpha 16).
const lora = work.lora
  ? attachLora(model, {
      r: work.lora.r,
      alpha: work.lora.alpha,
      dropout: 0,
      targetModules: ["q_proj", "k_proj", "v_proj", "o_proj"],
      useRslora: false,
    })
  : null;
const params = [...(lora?.params ?? model.params).values()];
for (const p of params) p.setRequiresGrad(true);
const opt = new AdamW([{ params, lr: 1e-5, weightDecay: 0 }]);
const at = { file: "bench", line: null };
const items = work.ids.map((row) => ({
  prompt: row.slice(0, work.promptLen),
  completion: row.slice(work.promptLen),
  at,
}));
const sft = sftObjective(model, items, null);
const all = items.map((_, i) => i);

function step(): number {
  return tidy(() => {
    let loss: Tensor;
    if (mode.startsWith("sft")) {
      loss = sft.loss(all, sft.units(all), 0, all).loss;
    } else {
      const B = items.length / 2;
      const { logprobs, mask } = completionLogprobs(model, items);
      const seq = sumLogps(logprobs, mask);
      const pref = preferenceLoss(
        {
          policyChosen: seq.narrow(0, 0, B),
          policyRejected: seq.narrow(0, B, B),
          refChosen: tensor(work.refChosen ?? [], [B]),
          refRejected: tensor(work.refRejected ?? [], [B]),
        },
        { type: "sigmoid", beta: 0.1 },
      );
      loss = pref.losses.mean().add(sftLoss(logprobs.narrow(0, 0, B), mask.narrow(0, 0, B)));
    }
    loss.backward();
    clipGradNorm(params, 1);
    opt.step();
    opt.zeroGrad();
    return loss.item();
  });
}

/** This process's peak RSS (VmHWM: unlike getrusage's maxrss, not inherited from the parent). */
function peakRssMb(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1024;
}

const ms: number[] = [];
let result = 0;
for (let i = 0; i < Number(warmup) + Number(timed); i++) {
  const t0 = performance.now();
  result = step();
  if (i >= Number(warmup)) ms.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ ms, result, peakRssMb: peakRssMb() })}\n`);
