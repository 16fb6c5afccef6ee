// Worker entry for `calign pretrain` (see engine/worker.ts).
import type { ConfigValue } from "../config/index.js";
import { defineWorker } from "../engine/worker.js";
import type { TrainProgress } from "../train/trainer.js";
import { type PretrainRunResult, runPretrain } from "./run-pretrain.js";

defineWorker<Record<string, ConfigValue>, PretrainRunResult, TrainProgress>((config, ctx) =>
  runPretrain(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
);
