// The training loop every calign trainer shares: epochs of seeded batches, gradient accumulation
// weighted by each micro-batch's share of the step's loss units, AdamW with warmup and decay,
// gradient-norm clipping, non-finite steps skipped (never applied), TRL-named metrics streamed to
// JSONL, atomic checkpoints every N steps and on stop, and bit-exact resume. Given a process group it
// trains data-parallel (data-parallel.ts): the same updates on every rank, files written by rank 0.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ProcessGroup } from "../distributed/index.js";
import { AdamW, clipGradNorm, peakDeviceMemory, type Tensor, tidy, withAutocast } from "../engine/index.js";
import { batchCount, epochBatches } from "./batches.js";
import { listCheckpoints, loadCheckpoint, saveCheckpoint, type TrainerState } from "./checkpoint.js";
import { agreeOnCheckpoint, combineStep, shardOf, sumGradients } from "./data-parallel.js";
import { learningRate, type ScheduleKind } from "./lr-schedule.js";
import { type MetricRecord, MetricsLog } from "./metrics-log.js";

export interface TrainerOptions {
  outputDir: string;
  epochs: number;
  /** Stop after this many optimizer steps (null: run every epoch). */
  maxSteps: number | null;
  /** Examples per micro-batch. */
  batchSize: number;
  gradientAccumulation: number;
  learningRate: number;
  schedule: ScheduleKind;
  warmupRatio: number;
  weightDecay: number;
  adamBetas: [number, number];
  adamEps: number;
  /** Clip the global gradient norm to this (0: no clipping). */
  maxGradNorm: number;
  seed: number;
  groupByLength: boolean;
  logSteps: number;
  saveSteps: number;
  saveTotalLimit: number;
  resume: boolean;
  /** Matmuls in bfloat16 on float32 master weights (TRL's bf16). */
  bf16?: boolean;
}

/** What the loop optimizes: the objective a concrete trainer (SFT, preference, LoRA) supplies. */
export interface TrainingObjective {
  /** Number of examples and the length of each (for grouping by length). */
  lengths: readonly number[];
  /** The trainable parameters by name (what checkpoints save). */
  params: ReadonlyMap<string, Tensor>;
  /** Loss units of a micro-batch (tokens for SFT, pairs for DPO): accumulation weights by them. */
  units(indices: readonly number[]): number;
  /** Input tokens of a micro-batch (TRL's num_tokens). */
  tokens(indices: readonly number[]): number;
  /**
   * The loss of `indices`, this rank's share of the micro-batch `microBatch` (all of it in one process),
   * already divided by `stepUnits` (the units of the whole optimizer step, every rank's), and metric
   * sums that the trainer divides by the step's unit count at logging time: summed over ranks, both
   * are what one process computes on the whole micro-batch. `position` numbers the share among all
   * shares of the run (micro-batch index × world size + rank), the same after a resume: what seeds
   * per-micro-batch randomness (LoRA dropout), so a resumed run draws what the uninterrupted one drew.
   */
  loss(
    indices: readonly number[],
    stepUnits: number,
    position: number,
    microBatch: readonly number[],
  ): { loss: Tensor; sums: MetricRecord };
  /** Settings that must match on resume (data, model, batching), hashed into checkpoints. */
  fingerprint: unknown;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  metrics: MetricRecord | null;
}

export interface TrainResult {
  steps: number;
  stopped: boolean;
  lastMetrics: MetricRecord | null;
  skippedSteps: number;
}

export function totalSteps(o: TrainerOptions, examples: number): number {
  const perEpoch = Math.ceil(batchCount(examples, o.batchSize) / o.gradientAccumulation);
  const all = perEpoch * o.epochs;
  return o.maxSteps === null ? all : Math.min(all, o.maxSteps);
}

function fingerprintOf(objective: TrainingObjective, o: TrainerOptions): string {
  // The key "task" predates the word "objective": renaming it would change every saved fingerprint.
  const shape = {
    bf16: o.bf16 === true,
    task: objective.fingerprint,
    batch: o.batchSize,
    accum: o.gradientAccumulation,
    seed: o.seed,
    byLength: o.groupByLength,
  };
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 16);
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the whole training loop (optimizer, resume, accumulation, skip-on-non-finite, logging, checkpoints) reads top to bottom in one place, as nanoGPT's train.py; its parts share the step state.
export async function train(
  objective: TrainingObjective,
  o: TrainerOptions,
  hooks: { progress?: (p: TrainProgress) => void; shouldStop?: () => boolean } = {},
  group?: ProcessGroup,
): Promise<TrainResult> {
  const n = objective.lengths.length;
  const total = totalSteps(o, n);
  const params = [...objective.params.values()];
  for (const p of params) p.setRequiresGrad(true);
  // No weight decay on biases and norm weights (1-D), as TRL / HF Trainer group them.
  const decay = [...objective.params].filter(([, t]) => t.ndim >= 2).map(([, t]) => t);
  const noDecay = [...objective.params].filter(([, t]) => t.ndim < 2).map(([, t]) => t);
  const groups = [
    { params: decay, weightDecay: o.weightDecay },
    { params: noDecay, weightDecay: 0 },
  ].filter((g) => g.params.length > 0);
  const opt = new AdamW(groups.map((g) => ({ ...g, lr: 0, betas: o.adamBetas, eps: o.adamEps })));
  const fingerprint = fingerprintOf(objective, o);
  let state: TrainerState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    numTokens: 0,
    skippedSteps: 0,
    fingerprint,
  };
  const latest = o.resume ? listCheckpoints(o.outputDir).pop() : undefined;
  if (group !== undefined) await agreeOnCheckpoint(group, latest?.step ?? null);
  if (latest !== undefined) {
    const loaded = loadCheckpoint(latest.dir, objective.params);
    if (loaded.state.fingerprint !== fingerprint)
      throw new Error(
        `${latest.dir}: was made with other data, model or batch settings (fingerprint ${loaded.state.fingerprint}, now ${fingerprint}); start a fresh output dir or restore the settings`,
      );
    opt.loadState(loaded.optimizerState);
    state = loaded.state;
  }
  // DDP's start: every rank begins from rank 0's weights.
  await group?.broadcastParameters(params);
  const isMain = group === undefined || group.isMain;
  mkdirSync(o.outputDir, { recursive: true });
  const log = isMain
    ? new MetricsLog(join(o.outputDir, "metrics.jsonl"), latest === undefined ? null : state.step)
    : null;
  const warmup = Math.ceil(total * o.warmupRatio);
  const schedule = { kind: o.schedule, peakLr: o.learningRate, warmupSteps: warmup, totalSteps: total };
  const perEpoch = batchCount(n, o.batchSize);
  let window: { loss: number; steps: number; sums: MetricRecord; units: number } = {
    loss: 0,
    steps: 0,
    sums: {},
    units: 0,
  };
  // A run killed after its final checkpoint (while the model folder was written) resumes with no step
  // left to train: its last metrics are those logged before the kill.
  let lastMetrics: MetricRecord | null = log?.last ?? null;
  let stopped = false;
  // Peak GPU memory is logged per record: the counter restarts here and after each record.
  const device = params[0]?.device ?? "cpu";
  peakDeviceMemory(device, true);
  // With several ranks a stop request is agreed on at the end of a step, so all stop at the same one.
  let stopAgreed = false;
  const checkpoint = async () => {
    if (isMain) saveCheckpoint(o.outputDir, state, objective.params, opt.saveState(), o.saveTotalLimit);
    await group?.barrier();
  };

  try {
    while (state.step < total && state.epoch < o.epochs) {
      if (group === undefined ? hooks.shouldStop?.() === true : stopAgreed) {
        stopped = true;
        break;
      }
      const batches = epochBatches(objective.lengths, o.batchSize, o.seed, state.epoch, o.groupByLength);
      const micro = batches.slice(state.batchInEpoch, state.batchInEpoch + o.gradientAccumulation);
      const stepUnits = micro.reduce((a, b) => a + objective.units(b), 0);
      const lr = learningRate(schedule, state.step);
      opt.setLr(lr);
      opt.zeroGrad();
      let stepLoss = 0;
      const stepSums: MetricRecord = {};
      for (const [j, b] of micro.entries()) {
        const position = (state.epoch * perEpoch + state.batchInEpoch + j) * (group?.worldSize ?? 1);
        const share = shardOf(b, group);
        if (share.length > 0)
          stepLoss += tidy(() => {
            const { loss, sums } = withAutocast(o.bf16 ? "bfloat16" : null, () =>
              objective.loss(share, Math.max(1, stepUnits), position + (group?.rank ?? 0), b),
            );
            loss.backward();
            for (const [k, v] of Object.entries(sums)) stepSums[k] = (stepSums[k] ?? 0) + v;
            return loss.item();
          });
        state.numTokens += objective.tokens(b);
      }
      if (group !== undefined) {
        await sumGradients(group, params);
        const totals = await combineStep(group, {
          loss: stepLoss,
          sums: stepSums,
          stop: hooks.shouldStop?.() === true,
        });
        stepLoss = totals.loss;
        Object.assign(stepSums, totals.sums);
        stopAgreed = totals.stop;
      }
      // max_grad_norm 0 turns clipping off; the norm is still measured, for the log and the finite check.
      const gradNorm = clipGradNorm(params, o.maxGradNorm > 0 ? o.maxGradNorm : Number.POSITIVE_INFINITY);
      if (Number.isFinite(stepLoss) && Number.isFinite(gradNorm)) {
        opt.step();
        window.loss += stepLoss;
        window.steps++;
        window.units += stepUnits;
        for (const [k, v] of Object.entries(stepSums)) window.sums[k] = (window.sums[k] ?? 0) + v;
      } else {
        state.skippedSteps++;
      }
      opt.zeroGrad();
      state.step++;
      state.batchInEpoch += micro.length;
      if (state.batchInEpoch >= perEpoch) {
        state.epoch++;
        state.batchInEpoch = 0;
      }
      const isLast = state.step >= total;
      if (state.step % o.logSteps === 0 || isLast) {
        lastMetrics = {
          step: state.step,
          loss: window.steps > 0 ? window.loss / window.steps : Number.NaN,
          grad_norm: gradNorm,
          learning_rate: lr,
          epoch: state.epoch + state.batchInEpoch / perEpoch,
          num_tokens: state.numTokens,
          skipped_steps: state.skippedSteps,
        };
        for (const [k, v] of Object.entries(window.sums)) lastMetrics[k] = v / Math.max(1, window.units);
        const peak = peakDeviceMemory(device, true);
        if (peak !== null) lastMetrics["memory/max_allocated_gb"] = peak / 1e9;
        log?.append(lastMetrics);
        window = { loss: 0, steps: 0, sums: {}, units: 0 };
      }
      if (o.saveSteps > 0 && state.step % o.saveSteps === 0 && !isLast) await checkpoint();
      hooks.progress?.({ step: state.step, totalSteps: total, metrics: lastMetrics });
    }
    if (stopped || state.step >= total) await checkpoint();
  } finally {
    log?.close();
  }
  return { steps: state.step, stopped, lastMetrics, skippedSteps: state.skippedSteps };
}
