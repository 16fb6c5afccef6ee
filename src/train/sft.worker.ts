// Worker entry for `calign sft` (see engine/worker.ts).
import { defineWorker } from "../engine/worker.js";
import { runSft, type SftRunResult } from "./run-sft.js";
import type { TrainProgress } from "./trainer.js";
import { type TrainerRequest, withOutputLock } from "./training-run.js";

defineWorker<TrainerRequest, SftRunResult, TrainProgress>((request, ctx) =>
  withOutputLock(request, "calign sft", () =>
    runSft(
      request.config,
      { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop },
      request.rendezvous,
    ),
  ),
);
