// Worker entry for `calign pretrain` (see engine/worker.ts).
import { defineWorker } from "../engine/worker.js";
import type { TrainProgress } from "../train/trainer.js";
import type { TrainerRequest } from "../train/training-run.js";
import { type PretrainRunResult, runPretrain } from "./run-pretrain.js";

defineWorker<TrainerRequest, PretrainRunResult, TrainProgress>(({ config, rendezvous }, ctx) =>
  runPretrain(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }, rendezvous),
);
