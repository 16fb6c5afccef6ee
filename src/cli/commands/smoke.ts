// `calign smoke`: trains a small MLP on the libtorch engine in a worker thread and prints its loss falling.
import { type OptionSchema, type OptionSpec, schemaHelp } from "../../config/index.js";
import { runWorker } from "../../engine/worker.js";
import type { SmokeProgress, SmokeRequest, SmokeResult } from "../../train/mlp-smoke.js";
import { TRAINER_SCHEMA } from "../../train/trainer-schema.js";
import { type Command, UsageError } from "../command.js";
import { interruptSignal } from "../interrupt.js";
import { parseOptions } from "../parse-options.js";
import { progressBar } from "../progress.js";

// The trainer's options where the smoke run has the same one (its own defaults: a tiny MLP).
const trainer = (key: string) => TRAINER_SCHEMA[key] as OptionSpec;

export const SMOKE_OPTIONS = {
  max_steps: { ...trainer("max_steps"), default: 300 },
  seed: { type: "integer", default: 0, min: 0, help: "seed for initialisation and data" },
  hidden: { type: "integer", default: 64, min: 1, help: "hidden width" },
  batch_size: { ...trainer("batch_size"), default: 64 },
  learning_rate: { ...trainer("learning_rate"), default: 0.01 },
  logging_steps: { ...trainer("logging_steps"), default: 30 },
  output: {
    type: "string",
    default: null,
    help: "write a checkpoint (weights, optimizer, RNG state) to DIR/checkpoint at the end and on Ctrl-C",
  },
  resume: {
    type: "boolean",
    default: false,
    help: "continue from DIR/checkpoint; the result equals an uninterrupted run",
  },
} as const satisfies OptionSchema;

const HELP = `Usage: calign smoke [options]

Trains a small MLP (8 -> hidden -> 1, GELU) with AdamW to fit a fixed nonlinear function, on the
libtorch engine in a worker thread, and prints the loss falling. A quick check that the engine,
autograd, the optimizer and checkpointing work on this machine.

Options:
${schemaHelp(SMOKE_OPTIONS)}
`;

export const smoke: Command = {
  name: "smoke",
  summary: "train a small MLP on the libtorch engine and print its loss falling",
  help: HELP,
  options: SMOKE_OPTIONS,
  async run(argv) {
    const { options: o } = parseOptions(SMOKE_OPTIONS, argv);
    if (o.learningRate <= 0) throw new UsageError(`--learning-rate must be above 0, got ${o.learningRate}`);
    if (o.resume && o.output === null) throw new UsageError("--resume needs --output DIR");
    const req: SmokeRequest = {
      steps: o.maxSteps,
      seed: o.seed,
      hidden: o.hidden,
      batch: o.batchSize,
      lr: o.learningRate,
      logEvery: o.loggingSteps,
      outDir: o.output,
      resume: o.resume,
    };
    const bar = progressBar("smoke", req.steps);
    const stop = interruptSignal();
    try {
      const result = await runWorker<SmokeRequest, SmokeResult, SmokeProgress>(
        new URL("../../train/mlp-smoke.worker.js", import.meta.url),
        req,
        {
          signal: stop.signal,
          onProgress: (p) => {
            process.stdout.write(
              `step ${String(p.step).padStart(5)}/${p.steps}  loss ${p.loss.toFixed(6)}\n`,
            );
            bar.update(p.step, `loss ${p.loss.toFixed(4)}`);
          },
        },
      );
      bar.finish();
      if (result.stopped) {
        process.stdout.write(
          `stopped at step ${result.stepsDone}; checkpoint: ${result.checkpoint ?? "none (no --output)"}\n`,
        );
        return 130;
      }
      process.stdout.write(
        `loss fell from ${result.firstLoss.toFixed(6)} to ${result.lastLoss.toFixed(6)} in ${result.stepsDone} steps` +
          (result.checkpoint ? `; checkpoint: ${result.checkpoint}\n` : "\n"),
      );
      return 0;
    } finally {
      stop.dispose();
    }
  },
};
