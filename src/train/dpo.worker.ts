// Worker entry for `calign dpo` (see engine/worker.ts).
import { defineWorker } from "../engine/worker.js";
import { type DpoRunResult, runDpo } from "./run-dpo.js";
import type { TrainProgress } from "./trainer.js";
import { type TrainerRequest, withOutputLock } from "./training-run.js";

defineWorker<TrainerRequest, DpoRunResult, TrainProgress>((request, ctx) =>
  withOutputLock(request, "calign dpo", () =>
    runDpo(
      request.config,
      { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop },
      request.rendezvous,
    ),
  ),
);
