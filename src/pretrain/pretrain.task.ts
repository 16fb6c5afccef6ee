// Worker entry for `calign pretrain` (see engine/worker-task.ts).
import type { ConfigValue } from "../config/index.js";
import { defineTask } from "../engine/worker-task.js";
import type { TrainProgress } from "../train/trainer.js";
import { type PretrainRunResult, runPretrain } from "./run-pretrain.js";

defineTask<Record<string, ConfigValue>, PretrainRunResult, TrainProgress>((config, ctx) =>
  runPretrain(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
);
