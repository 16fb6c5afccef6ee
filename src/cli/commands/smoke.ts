// `calign smoke`: trains a small MLP on the libtorch engine in a worker thread and prints its loss falling.
import { parseArgs } from "node:util";
import { runWorker } from "../../engine/worker.js";
import type { SmokeProgress, SmokeRequest, SmokeResult } from "../../train/mlp-smoke.js";
import { type Command, UsageError } from "../command.js";
import { interruptSignal } from "../interrupt.js";
import { progressBar } from "../progress.js";

const HELP = `Usage: calign smoke [options]

Trains a small MLP (8 -> hidden -> 1, GELU) with AdamW to fit a fixed nonlinear function, on the
libtorch engine in a worker thread, and prints the loss falling. A quick check that the engine,
autograd, the optimizer and checkpointing work on this machine.

Options:
  --steps N      training steps (default 300)
  --seed N       seed for initialisation and data (default 0)
  --hidden N     hidden width (default 64)
  --batch N      batch size (default 64)
  --lr X         AdamW learning rate (default 0.01)
  --log-every N  print the loss every N steps (default 30)
  --out DIR      write a checkpoint (weights, optimizer, RNG state) to DIR/checkpoint at the end
                 and on Ctrl-C (default: none)
  --resume       continue from DIR/checkpoint; the result equals an uninterrupted run
  -h, --help     show this help
`;

function int(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

export const smoke: Command = {
  name: "smoke",
  summary: "train a small MLP on the libtorch engine and print its loss falling",
  help: HELP,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        steps: { type: "string" },
        seed: { type: "string" },
        hidden: { type: "string" },
        batch: { type: "string" },
        lr: { type: "string" },
        "log-every": { type: "string" },
        out: { type: "string" },
        resume: { type: "boolean" },
      },
      strict: true,
    });
    const lr = values.lr === undefined ? 0.01 : Number(values.lr);
    if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
    if (values.resume && values.out === undefined) throw new UsageError("--resume needs --out DIR");
    const req: SmokeRequest = {
      steps: int(values.steps, "steps", 300),
      seed: values.seed === undefined ? 0 : int(values.seed, "seed", 0),
      hidden: int(values.hidden, "hidden", 64),
      batch: int(values.batch, "batch", 64),
      lr,
      logEvery: int(values["log-every"], "log-every", 30),
      outDir: values.out ?? null,
      resume: values.resume === true,
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
          `stopped at step ${result.stepsDone}; checkpoint: ${result.checkpoint ?? "none (no --out)"}\n`,
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
