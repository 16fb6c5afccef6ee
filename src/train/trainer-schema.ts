// The trainer options every training command shares, with TRL's defaults where TRL has one.
import type { ConfigValue, Schema } from "../config/index.js";
import { DEVICE, DIST_TIMEOUT } from "../config/shared-options.js";
import { type Rendezvous, rankDevice } from "../distributed/index.js";
import type { TrainerOptions } from "./trainer.js";

export const TRAINER_SCHEMA: Schema = {
  device: DEVICE,
  output: {
    type: "string",
    default: null,
    help: "output directory: checkpoints, metrics.jsonl, the final model",
  },
  epochs: { type: "integer", default: 1, min: 1, help: "passes over the data (TRL num_train_epochs)" },
  max_steps: { type: "integer", default: null, min: 1, help: "stop after this many optimizer steps" },
  batch_size: {
    type: "integer",
    default: 8,
    min: 1,
    help: "examples per micro-batch (per_device_train_batch_size)",
  },
  gradient_accumulation: { type: "integer", default: 1, min: 1, help: "micro-batches per optimizer step" },
  learning_rate: { type: "number", default: 2e-5, min: 0, help: "peak learning rate of AdamW" },
  lr_scheduler: {
    type: "string",
    default: "linear",
    choices: ["linear", "cosine", "constant"],
    help: "decay after warmup (HF lr_scheduler_type)",
  },
  warmup_ratio: {
    type: "number",
    default: 0,
    min: 0,
    max: 1,
    help: "fraction of the steps spent warming up linearly from 0",
  },
  weight_decay: {
    type: "number",
    default: 0,
    min: 0,
    help: "decoupled weight decay on matrices (not biases or norms)",
  },
  adam_beta1: { type: "number", default: 0.9, min: 0, max: 1, help: "AdamW beta1" },
  adam_beta2: { type: "number", default: 0.999, min: 0, max: 1, help: "AdamW beta2" },
  adam_epsilon: { type: "number", default: 1e-8, min: 0, help: "AdamW epsilon" },
  max_grad_norm: {
    type: "number",
    default: 1,
    min: 0,
    help: "clip the global gradient norm to this (0: off)",
  },
  seed: { type: "integer", default: 42, help: "seed of the data order (and sampling)" },
  group_by_length: {
    type: "boolean",
    default: true,
    help: "batch examples of similar length together (less padding)",
  },
  logging_steps: { type: "integer", default: 10, min: 1, help: "write metrics every N optimizer steps" },
  save_steps: {
    type: "integer",
    default: 500,
    min: 0,
    help: "checkpoint every N optimizer steps (0: only at the end and on stop)",
  },
  save_total_limit: { type: "integer", default: 2, min: 1, help: "checkpoints kept on disk" },
  resume: { type: "boolean", default: false, help: "continue from the latest checkpoint in --output" },
  bf16: {
    type: "boolean",
    default: false,
    help: "matmuls in bfloat16 on float32 master weights (TRL bf16); norms, softmax and the loss stay float32",
  },
  dist_timeout: DIST_TIMEOUT,
  gradient_checkpointing: {
    type: "boolean",
    default: false,
    help: "recompute each decoder block in backward instead of keeping its activations (TRL gradient_checkpointing): less memory, one more forward",
  },
};

type Get = (key: string) => ConfigValue;

/**
 * Where a training command's model goes (resolved: auto → the GPU of the rank's local rank, or cpu) and
 * whether its blocks are checkpointed.
 */
export function modelPlacement(
  get: Get,
  rendezvous: Rendezvous | null,
): { device: string; gradientCheckpointing: boolean } {
  return {
    device: rankDevice(get("device") as string, rendezvous),
    gradientCheckpointing: get("gradient_checkpointing") === true,
  };
}

export function trainerOptions(get: Get): TrainerOptions {
  const num = (k: string) => get(k) as number;
  return {
    outputDir: get("output") as string,
    epochs: num("epochs"),
    maxSteps: get("max_steps") as number | null,
    batchSize: num("batch_size"),
    gradientAccumulation: num("gradient_accumulation"),
    learningRate: num("learning_rate"),
    schedule: get("lr_scheduler") as TrainerOptions["schedule"],
    warmupRatio: num("warmup_ratio"),
    weightDecay: num("weight_decay"),
    adamBetas: [num("adam_beta1"), num("adam_beta2")],
    adamEps: num("adam_epsilon"),
    maxGradNorm: num("max_grad_norm"),
    seed: num("seed"),
    groupByLength: get("group_by_length") as boolean,
    logSteps: num("logging_steps"),
    saveSteps: num("save_steps"),
    saveTotalLimit: num("save_total_limit"),
    resume: get("resume") as boolean,
    bf16: get("bf16") as boolean,
  };
}
