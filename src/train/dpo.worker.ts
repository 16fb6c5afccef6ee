// Worker entry for `calign dpo` (see engine/worker.ts).
import type { ConfigValue } from "../config/index.js";
import { defineWorker } from "../engine/worker.js";
import { withFolderLock } from "../util/folder-lock.js";
import { type DpoRunResult, runDpo } from "./run-dpo.js";
import type { TrainProgress } from "./trainer.js";

// One training run per output folder: a second one there stops with the holder's pid.
defineWorker<Record<string, ConfigValue>, DpoRunResult, TrainProgress>((config, ctx) =>
  withFolderLock(config.output as string, "calign dpo", () =>
    runDpo(config, { progress: (p) => ctx.progress(p), shouldStop: ctx.shouldStop }),
  ),
);
