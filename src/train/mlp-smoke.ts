// The engine smoke run: a small MLP fits a fixed nonlinear function with AdamW. It exercises every part
// of the engine (autograd, optimizer, scopes, seeded data) in seconds, checkpoints on request, and
// resumes to exactly the weights an uninterrupted run reaches.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AdamW, F, Generator, keep, randn, type Tensor, tidy } from "../engine/index.js";
import type { WorkerContext } from "../engine/worker.js";
import { fromRawTensor, toRawTensor } from "../io/engine-tensor.js";
import { SafetensorsFile } from "../io/safetensors-file.js";
import { writeSafetensors } from "../io/safetensors-write.js";
import { writeAll, writeFileAtomicSync, writeJsonAtomicSync } from "../util/atomic-write.js";

export interface SmokeRequest {
  steps: number;
  seed: number;
  hidden: number;
  batch: number;
  lr: number;
  /** Where checkpoints go; none when null. */
  outDir: string | null;
  resume: boolean;
  logEvery: number;
}

export interface SmokeProgress {
  step: number;
  steps: number;
  /** Mean loss over the steps since the previous report. */
  loss: number;
}

export interface SmokeResult {
  firstLoss: number;
  lastLoss: number;
  stepsDone: number;
  stopped: boolean;
  checkpoint: string | null;
}

const IN = 8;
const OUT = 1;

interface Mlp {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
}

function initMlp(gen: Generator, hidden: number): Mlp {
  return tidy(() => ({
    w1: randn([hidden, IN], gen)
      .mul(1 / Math.sqrt(IN))
      .setRequiresGrad(),
    b1: randn([hidden], gen).mul(0.01).setRequiresGrad(),
    w2: randn([OUT, hidden], gen)
      .mul(1 / Math.sqrt(hidden))
      .setRequiresGrad(),
    b2: randn([OUT], gen).mul(0.01).setRequiresGrad(),
  }));
}

function forward(m: Mlp, x: Tensor): Tensor {
  return F.linear(F.linear(x, m.w1, m.b1).gelu("tanh"), m.w2, m.b2);
}

/** The target: a fixed smooth function of the inputs that a linear model cannot fit. */
function target(x: Tensor): Tensor {
  return x
    .slice(1, 0, 4)
    .sin()
    .sum(1, true)
    .add(x.slice(1, 4, 8).square().mean(1, true));
}

const NAMES = ["w1", "b1", "w2", "b2"] as const;

function saveCheckpoint(dir: string, m: Mlp, opt: AdamW, data: Generator, step: number): string {
  mkdirSync(dir, { recursive: true });
  writeSafetensors(
    join(dir, "model.safetensors"),
    NAMES.map((n) => toRawTensor(n, m[n])),
  );
  const optState = opt.saveState();
  writeFileAtomicSync(join(dir, "optimizer.bin"), (fd) => writeAll(fd, optState));
  const rngState = data.getState();
  writeFileAtomicSync(join(dir, "rng.bin"), (fd) => writeAll(fd, rngState));
  // The step file is written last: a checkpoint counts only once all its parts are on disk.
  writeJsonAtomicSync(join(dir, "state.json"), { step });
  return dir;
}

export function trainSmokeMlp(req: SmokeRequest, ctx: WorkerContext<SmokeProgress>): SmokeResult {
  const init = new Generator(req.seed);
  const data = new Generator(req.seed + 1);
  const m = initMlp(init, req.hidden);
  for (const n of NAMES) keep(m[n]);
  const opt = new AdamW([{ params: NAMES.map((n) => m[n]), lr: req.lr, weightDecay: 0 }]);
  const ckpt = req.outDir === null ? null : join(req.outDir, "checkpoint");
  let start = 0;
  if (req.resume && ckpt !== null && existsSync(join(ckpt, "state.json"))) {
    start = JSON.parse(readFileSync(join(ckpt, "state.json"), "utf8")).step;
    const file = SafetensorsFile.open(join(ckpt, "model.safetensors"));
    tidy(() => {
      for (const n of NAMES) m[n].detach().copy_(fromRawTensor(file.read(n)));
    });
    file.close();
    opt.loadState(readFileSync(join(ckpt, "optimizer.bin")));
    data.setState(readFileSync(join(ckpt, "rng.bin")));
  }
  let firstLoss = Number.NaN;
  let lastLoss = Number.NaN;
  let step = start;
  let windowSum = 0;
  let windowSteps = 0;
  while (step < req.steps) {
    if (ctx.shouldStop()) break;
    lastLoss = tidy(() => {
      const x = randn([req.batch, IN], data);
      const loss = forward(m, x).sub(target(x)).square().mean();
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    });
    if (Number.isNaN(firstLoss)) firstLoss = lastLoss;
    step++;
    windowSum += lastLoss;
    windowSteps++;
    if (step % req.logEvery === 0 || step === req.steps) {
      ctx.progress({ step, steps: req.steps, loss: windowSum / windowSteps });
      windowSum = 0;
      windowSteps = 0;
    }
  }
  const checkpoint = ckpt === null ? null : saveCheckpoint(ckpt, m, opt, data, step);
  return { firstLoss, lastLoss, stepsDone: step, stopped: step < req.steps, checkpoint };
}
