// `calign demo`: the README's main job — the paper's result reproduced on the embedded default.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type PipelineEvent, StoppedError } from "../../align/pipeline.js";
import { preflightDevices } from "../../align/run-preflight.js";
import { RUN_SCHEMA } from "../../align/run-schema.js";
import { loadConfig, type OptionSchema, type Schema, schemaHelp, settingsOf } from "../../config/index.js";
import { DIST_TIMEOUT } from "../../config/shared-options.js";
import { FULL, QUICK, withNativeBf16, withWorkedAnswers } from "../../demo/presets.js";
import { runDemo } from "../../demo/run-demo.js";
import { targetLines } from "../../demo/targets.js";
import { ProcessGroup } from "../../distributed/index.js";
import { type Command, UsageError } from "../command.js";
import { interruptSignal } from "../interrupt.js";
import { formatSeconds, type ProgressBar, progressBar } from "../progress.js";

const DEFAULT_BASE = new URL("../../../../models/base", import.meta.url).pathname;

export const DEMO_OPTIONS = {
  quick: {
    type: "boolean",
    default: false,
    help: "one seed, less data (CI and first looks): under 2 minutes as 2 ranks on a 2-core AMD EPYC with bf16 instructions, about 3 on a 2-core Intel Xeon; the full demo (5 seeds, scripts/demo.sh): 28 minutes (the previous preset) and 44 minutes (README)",
  },
  worked: {
    type: "boolean",
    default: false,
    help: "train on worked answers (14 families first state, as the corpus would, what the answer follows from, then Answer: X; --answer-pattern finds X): over 5 seeds plain SFT 70.1 % against 63.6 on seed wordings and stage 2's held-out CR gain +1.2 against −0.0 (README), in about 1.7 times the time, which is why it is not the default",
  },
  output: { type: "string", default: "calign-demo", help: "where everything goes" },
  seeds: { type: "string[]", default: null, help: "seeds to run (none: 0,1,2,3,4; with --quick: 0)" },
  base: { type: "string", default: null, help: "the base model (none: models/base)" },
  dist_timeout: DIST_TIMEOUT,
} as const satisfies OptionSchema;

const OPTIONS: Schema = { ...DEMO_OPTIONS, ...RUN_SCHEMA };

const HELP = `Usage: calign demo [--quick] [--worked] [--output DIR] [--seeds 0,1,2,3,4] [--base MODEL] [calign run flags...]

Reproduces the method of Zhao et al. 2024 (arXiv 2403.14221) on calign's embedded default, offline on a
CPU: the built-in task suite (calign tasks list) and the small base model shipped in models/base.
For each seed it trains the SFT baseline (seed wordings only), SFT(IA) (seed wordings plus paraphrases
from the suite's augmentation pool, standing in for the paper's LLM paraphraser) and SFT(IA)+CAT (DPO +
λ·SFT on pairs of its own answers to new inputs, self-rewarded: no answers needed), then evaluates all
three on held-out instances (inputs that never reach training or stage 2), each under the seed wordings
training used and under held-out wordings it never saw. It prints one line saying what changed on
held-out wordings and whether each target held, and writes DIR/report.html and DIR/report.json: the
targets (met or missed, with the numbers), the collapse flags (a CR gain that came with falling input
sensitivity or accuracy), the paper-style table on held-out wordings (accuracy, ROUGE-L, CR, CR on
correct answers, input sensitivity; mean and 95% t-interval over seeds), the same on seed wordings and
the gap (held-out minus seed), per-task charts and a per-task table with each family's chance and
majority-answer baselines, responses side by side, training curves; and DIR/seed-N/ with each seed's
run (manifest, data, the three trained models in sft/, sft_ia/, cat/).

${schemaHelp(DEMO_OPTIONS)}
Any calign run flag overrides the preset, e.g. --device cuda, --cat.sft-weight 0.5 or --augment.n 5
(calign run --help). Both trainers run in bf16 mixed precision where their device computes bf16
natively (a GPU; a CPU with avx512_bf16 or amx_bf16), which about halves a training step there; it
says so when it starts, and --sft.bf16 false --cat.bf16 false keep float32.
Rerunning the same command resumes: finished stages are skipped, training continues from checkpoints.
Launched as several ranks (calign launch --nproc-per-node 2 -- demo, as scripts/demo.sh does on two
cores or more), every rank runs every seed: training data-parallel, sampling and evaluation shared;
rank 0 writes everything. Results then differ from one process's in the last digits of the weights
(gradients are summed across ranks in another order), and repeat exactly for the same number of ranks.
`;

export const demo: Command = {
  name: "demo",
  summary: "the paper's result on the built-in tasks and base model: SFT vs SFT(IA) vs SFT(IA)+CAT",
  help: HELP,
  options: OPTIONS,
  async run(argv) {
    const loaded = loadConfig(OPTIONS, argv);
    if (loaded.positionals.length > 0) throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
    const {
      quick,
      worked,
      output,
      seeds: seedWords,
      distTimeout,
      ...given
    } = settingsOf(DEMO_OPTIONS, loaded.values);
    const base = given.base ?? DEFAULT_BASE;
    const seeds = seedWords?.map(Number) ?? null;
    if (seeds?.some((s) => !Number.isInteger(s) || s < 0))
      throw new UsageError("--seeds takes non-negative integers, e.g. 0,1,2");
    // The run settings given here override the preset's, as --set after its flags.
    const overrides = [...loaded.values].flatMap(([key, value]) =>
      Object.hasOwn(DEMO_OPTIONS, key) || loaded.sources.get(key) === "default" || value === null
        ? []
        : ["--set", `${key}=${Array.isArray(value) ? value.join(",") : String(value)}`],
    );
    if (!existsSync(base)) throw new UsageError(`no base model at ${base} (give one with --base)`);
    preflightDevices(loaded.values, loaded.sources);
    const { preset, bf16 } = withNativeBf16(
      worked ? withWorkedAnswers(quick ? QUICK : FULL) : quick ? QUICK : FULL,
      loaded.values,
      new Set([...loaded.sources].flatMap(([key, source]) => (source === "default" ? [] : [key]))),
    );
    const started = Date.now();
    // Launched as several ranks (scripts/demo.sh uses two on a machine with two cores or more).
    const group = await ProcessGroup.fromEnv({ timeoutMs: distTimeout * 1000, backend: "gloo" });
    const main = group === undefined || group.isMain;
    if (main && bf16.length > 0)
      process.stderr.write(
        `${bf16.join(" and ")} in bf16 mixed precision: this device computes bf16 natively (${bf16.map((t) => `--${t}.bf16 false`).join(" ")} for float32)\n`,
      );
    const stop = interruptSignal();
    let bar: ProgressBar | null = null;
    try {
      const result = await runDemo({
        out: resolve(output),
        baseModel: resolve(base),
        preset: seeds === null ? preset : { ...preset, seeds },
        overrides,
        signal: stop.signal,
        ...(group ? { group } : {}),
        ...(main
          ? {
              onEvent: (seed: number, e: PipelineEvent) => {
                const label = `seed ${seed} ${e.stage}`;
                if (e.kind === "start") bar = progressBar(label, 1);
                else if (e.kind === "skip") process.stderr.write(`${label}: done before, skipped\n`);
                else if (e.kind === "progress") bar?.update(e.done ?? 0, e.info ?? "", e.total ?? 1);
                else if (e.kind === "warning") process.stderr.write(`${label}: warning: ${e.info}\n`);
                else bar?.finish();
              },
            }
          : {}),
      });
      await group?.destroy();
      if (result !== null)
        process.stdout.write(
          `${result.headline}\n${targetLines(result.targets).join("\n")}\nreport: ${resolve(output)}/report.html (${formatSeconds((Date.now() - started) / 1000)})\n`,
        );
      return 0;
    } catch (err) {
      if (err instanceof StoppedError) {
        process.stderr.write(`calign demo: ${err.message}; rerun the same command to continue\n`);
        return 130;
      }
      throw err;
    } finally {
      stop.dispose();
    }
  },
};
