// Worker entry for `calign sft` (see engine/worker-task.ts).
import type { ConfigValue } from "../config/index.js";
import { defineTask } from "../engine/worker-task.js";
import { runSft, type SftRunResult } from "./run-sft.js";
import type { TrainProgress } from "./trainer.js";

defineTask<Record<string, ConfigValue>, SftRunResult, TrainProgress>((config, ctx) =>
  runSft(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
);
