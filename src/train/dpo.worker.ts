// Worker entry for `calign dpo` (see engine/worker.ts).
import type { ConfigValue } from "../config/index.js";
import { defineWorker } from "../engine/worker.js";
import { type DpoRunResult, runDpo } from "./run-dpo.js";
import type { TrainProgress } from "./trainer.js";
import { withOutputLock } from "./training-run.js";

defineWorker<Record<string, ConfigValue>, DpoRunResult, TrainProgress>((config, ctx) =>
  withOutputLock(config, "calign dpo", () =>
    runDpo(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
  ),
);
