// Worker entry for `calign dpo` (see engine/worker-task.ts).
import type { ConfigValue } from "../config/index.js";
import { defineTask } from "../engine/worker-task.js";
import { type DpoRunResult, runDpo } from "./run-dpo.js";
import type { TrainProgress } from "./trainer.js";

defineTask<Record<string, ConfigValue>, DpoRunResult, TrainProgress>((config, ctx) =>
  runDpo(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
);
