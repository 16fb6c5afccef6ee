// Worker entry for `calign sft` (see engine/worker.ts).
import type { ConfigValue } from "../config/index.js";
import { defineWorker } from "../engine/worker.js";
import { runSft, type SftRunResult } from "./run-sft.js";
import type { TrainProgress } from "./trainer.js";
import { withOutputLock } from "./training-run.js";

defineWorker<Record<string, ConfigValue>, SftRunResult, TrainProgress>((config, ctx) =>
  withOutputLock(config, "calign sft", () =>
    runSft(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
  ),
);
