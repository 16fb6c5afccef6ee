// Runs a training worker with a progress bar, Ctrl-C checkpointing and the effective config
// saved beside the outputs: what every training command shares. Launched as several ranks, only rank 0
// writes the config and shows progress and the result (the worker trains data-parallel).
import { type ConfigValue, flagOf, loadConfig, type Schema, saveEffectiveConfig } from "../config/index.js";
import { rendezvousFromEnv } from "../distributed/index.js";
import { checkMatmulDtype, type DType } from "../engine/index.js";
import { runWorker } from "../engine/worker.js";
import { baseDtypeProblem } from "../train/lora-schema.js";
import type { TrainProgress, TrainResult } from "../train/trainer.js";
import type { TrainerRequest } from "../train/training-run.js";
import { UsageError } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { deviceOption } from "./model-inputs.js";
import { progressBar } from "./progress.js";

const SHOWN = ["loss", "rewards/accuracies", "rewards/margins", "grad_norm", "learning_rate"];

export async function runTraining<R extends TrainResult>(
  command: string,
  schema: Schema,
  argv: string[],
  required: string[],
  workerUrl: URL,
  report: (result: R) => string,
  /** Refuses, before anything is written, a config whose requirements (a package, a file) are not met. */
  preflight: (config: Record<string, ConfigValue>) => void = () => {},
): Promise<number> {
  const loaded = loadConfig(schema, argv);
  if (loaded.positionals.length > 0) throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
  for (const key of required) {
    if (loaded.values.get(key) === null)
      throw new UsageError(`--${flagOf(key)} is required (or set it in --config)`);
  }
  // A device this build lacks is refused before anything is written.
  if (loaded.values.has("device")) deviceOption(loaded.values.get("device") as string);
  const config = Object.fromEntries(loaded.values);
  preflight(config);
  const rendezvous = rendezvousFromEnv() ?? null;
  const isMain = (rendezvous?.rank ?? 0) === 0;
  if (isMain) saveEffectiveConfig(config.output as string, loaded, command);
  const bar = progressBar(command, 1);
  const stop = interruptSignal();
  try {
    const request: TrainerRequest = { config, rendezvous };
    const result = await runWorker<TrainerRequest, R, TrainProgress>(workerUrl, request, {
      signal: stop.signal,
      onProgress: (p) => {
        if (!isMain) return;
        const m = p.metrics;
        const info =
          m === null
            ? ""
            : SHOWN.filter((k) => m[k] !== undefined)
                .map((k) => `${k} ${fmt(m[k] as number)}`)
                .join("  ");
        bar.update(p.step, info, p.totalSteps);
      },
    });
    bar.finish();
    if (isMain) process.stdout.write(`${report(result)}\n`);
    return result.stopped ? 130 : 0;
  } catch (err) {
    // Bad input data is the user's to fix: file:line: field: reason, exit 1, no stack trace.
    if (!(err instanceof Error && err.name === "DataError")) throw err;
    process.stderr.write(`\ncalign ${command}: ${err.message}\n`);
    return 1;
  } finally {
    stop.dispose();
  }
}

/**
 * sft's and dpo's preflight: a half-precision dtype without LoRA, or one the device cannot multiply in,
 * is refused before anything is written.
 */
export function refuseUntrainableDtype(config: Record<string, ConfigValue>): void {
  const problem = baseDtypeProblem((k) => config[k] as ConfigValue);
  if (problem !== null) throw new UsageError(`--dtype ${config.dtype}: ${problem}`);
  const dtype = config.dtype as DType;
  if (dtype !== "float32") checkMatmulDtype(dtype, deviceOption(config.device as string));
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}
