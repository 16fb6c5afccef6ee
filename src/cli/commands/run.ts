// `calign run <config>`: the whole consistency-alignment pipeline from one YAML/JSON file.
import { resolve } from "node:path";
import { rulesSource } from "../../align/paraphrase-rules-source.js";
import { type PipelineEvent, runPipeline, StoppedError } from "../../align/pipeline.js";
import { preflightData, preflightRun } from "../../align/run-preflight.js";
import { RUN_SCHEMA, runSettings, STAGES } from "../../align/run-schema.js";
import { expandSweep, parseSweep } from "../../align/sweep.js";
import {
  type LoadedConfig,
  loadConfig,
  type OptionSchema,
  type Schema,
  saveEffectiveConfig,
  schemaHelp,
  settingsOf,
} from "../../config/index.js";
import { DIST_TIMEOUT } from "../../config/shared-options.js";
import { ProcessGroup } from "../../distributed/index.js";
import { writeSweepReport } from "../../report/sweep-report.js";
import { writeReport } from "../../report/write-report.js";
import { withFolderLock } from "../../util/folder-lock.js";
import { type Command, UsageError } from "../command.js";
import { interruptSignal } from "../interrupt.js";
import { type ProgressBar, progressBar } from "../progress.js";

/** The run's own options, beside the config keys: where it runs, which stages, and a sweep. */
export const RUN_COMMAND_OPTIONS = {
  output: { type: "string", default: null, help: "the run directory (required)" },
  from: {
    type: "string",
    default: null,
    choices: STAGES,
    help: "start at this stage (earlier ones must be done)",
  },
  until: { type: "string", default: null, choices: STAGES, help: "stop after this stage" },
  sweep: {
    type: "string",
    default: null,
    help: "one run per value, in RUN_DIR/K=V: KEY=V1,V2,... (e.g. cat.sft_weight=0,0.5,1,2 or augment.n=1,5,10)",
  },
  dist_timeout: DIST_TIMEOUT,
} as const satisfies OptionSchema;

const OPTIONS: Schema = { ...RUN_COMMAND_OPTIONS, ...RUN_SCHEMA };

const HELP = `Usage: calign run CONFIG.yaml --output RUN_DIR [--from STAGE] [--until STAGE] [--sweep KEY=V1,V2,...] [options]

Runs the consistency-alignment pipeline of Zhao et al. 2024 (arXiv 2403.14221) in RUN_DIR:
  augment   n paraphrases per training instruction (rules | pool | model), filtered
  sft       the plain SFT baseline: SFT on the training items as given (their original wordings)
  sft_ia    stage 1, SFT(IA): SFT on the originals and their paraphrases (augment.rows one: on one
            wording of each item, as many rows as sft)
            (both also on the same Yes/No verification examples that teach the judge: judge_data)
  sample    k candidates per instruction variant from the SFT(IA) model, for the training items or
            for stage 2's own prompts (prompts: inputs stage 1 never saw; no answers needed)
  reward    self-reward by the SFT(IA) model (default: P("Yes") as judge), with the judge's health
  pairs     best vs worst candidate per prompt (or of the item's wordings), above a minimum reward gap
  cat       stage 2, CAT: DPO + λ·SFT on those pairs, from the SFT(IA) model
  evaluate  every system's responses to the held-out wordings; accuracy, ROUGE-L, CR with intervals
            (also per wording origin when the eval set mixes several, e.g. seed and held-out wordings)
Then report.json and a self-contained report.html. manifest.json records the effective config,
versions, and each stage's status, input key and summary. Rerunning skips finished stages whose
inputs are unchanged; a killed run continues where it stopped (training resumes from checkpoints).

Launched as several ranks (calign launch --nproc-per-node N -- calign run ..., torchrun, SLURM), every
rank runs the pipeline: the training stages train data-parallel; augment (source model), sample, reward
and evaluate share their items across ranks when their models run on calign's own engine, and run on
rank 0 alone when they call a server (the other ranks wait, up to --dist-timeout). Rank 0 writes every
file; RUN_DIR must be on a filesystem all ranks see. A sweep runs its values one after another (each in
RUN_DIR/KEY=VALUE, RUN_DIR locked throughout against a second sweep there), then writes
RUN_DIR/report.json and report.html: one row per value and system (accuracy, CR, input sensitivity).
A stage whose inputs are the same as an earlier value's (SFT and SFT(IA) in a sweep of a CAT setting)
is copied from that value's folder, not run again, and so are the evaluation responses of a system
whose model and answering settings are the same (eval/keys.json says where each came from).

Options:
${schemaHelp(RUN_COMMAND_OPTIONS)}

Config keys (snake_case in the file; any can also be given as a flag in kebab-case, e.g. --cat.sft-weight 0.5,
or as --set cat.sft_weight=0.5):
${schemaHelp(RUN_SCHEMA)}
`;

/** The config part of loaded options: the run schema's keys only (what the manifest records). */
function runConfig(loaded: LoadedConfig): LoadedConfig {
  const own = (k: string) => !Object.hasOwn(RUN_COMMAND_OPTIONS, k);
  return {
    values: new Map([...loaded.values].filter(([k]) => own(k))),
    sources: new Map([...loaded.sources].filter(([k]) => own(k))),
    positionals: [],
  };
}

/** Each stage's progress bar on stderr, and a line for each stage skipped. */
function progressEvents(): (e: PipelineEvent) => void {
  let bar: ProgressBar | null = null;
  return (e) => {
    if (e.kind === "start") bar = progressBar(e.stage, 1);
    else if (e.kind === "skip")
      process.stderr.write(`${e.stage}: ${e.info ?? "done before, inputs unchanged: skipped"}\n`);
    else if (e.kind === "progress") bar?.update(e.done ?? 0, e.info ?? "", e.total ?? 1);
    else if (e.kind === "warning") process.stderr.write(`${e.stage}: warning: ${e.info}\n`);
    else bar?.finish();
  };
}

export const run: Command = {
  name: "run",
  summary: "the whole pipeline (augment → SFT(IA) → sample → reward → pairs → CAT → evaluate) from a config",
  help: HELP,
  options: OPTIONS,
  async run(argv) {
    const first = loadConfig(OPTIONS, argv);
    const [file, ...extra] = first.positionals;
    if (file === undefined)
      throw new UsageError("a config file is required (calign run CONFIG.yaml --output DIR)");
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const { output, from, until, sweep, distTimeout } = settingsOf(RUN_COMMAND_OPTIONS, first.values);
    if (output === null) throw new UsageError("--output RUN_DIR is required");
    const swept = sweep === null ? null : parseSweep(sweep);
    const runs = expandSweep(resolve(output), swept);
    // Every run's config (each sweep value's) is loaded and checked before the first stage of the first.
    const configs = runs.map((r) => {
      const loaded = runConfig(loadConfig(OPTIONS, ["--config", file, ...argv, ...r.flags]));
      for (const key of ["model", "train", "eval"]) {
        if (loaded.values.get(key) === null) throw new UsageError(`${key} is required in the config`);
      }
      preflightRun(runSettings(loaded.values), loaded.sources);
      return { ...r, loaded };
    });
    for (const r of configs) await preflightData(runSettings(r.loaded.values));
    // Launched as several ranks: one group for the whole run (Gloo: it carries plans and results, not
    // weights); each trainer joins a group of its own through it.
    const group = await ProcessGroup.fromEnv({ timeoutMs: distTimeout * 1000, backend: "gloo" });
    const isMain = group === undefined || group.isMain;
    const stop = interruptSignal();
    // A sweep holds its root's lock throughout (each value's folder has its own too), so a second sweep
    // into the same root stops at once instead of writing the root's table beside this one.
    const sweepRoot = swept !== null && isMain ? resolve(output) : null;
    const runAll = async () => {
      for (const [i, r] of configs.entries()) {
        const body = async () => {
          if (isMain) saveEffectiveConfig(r.dir, r.loaded, "run");
          await runPipeline({
            runDir: r.dir,
            config: r.loaded.values,
            sources: r.loaded.sources,
            ...(from === null ? {} : { from }),
            ...(until === null ? {} : { until }),
            rules: rulesSource,
            ...(isMain ? { onEvent: progressEvents() } : {}),
            signal: stop.signal,
            ...(group ? { group } : {}),
            // Stages a sweep's earlier values finished with the same inputs are copied, not rerun.
            donors: configs.slice(0, i).map((d) => d.dir),
          });
          return isMain ? (await writeReport(r.dir)).headline : null;
        };
        // Rank 0 alone writes the run directory, so it alone holds the lock.
        const headline = isMain ? await withFolderLock(r.dir, "calign run", body) : await body();
        if (headline !== null) process.stdout.write(`${r.dir}/report.html\n${headline}\n`);
      }
      // A sweep's root gets one table of every value's figures.
      if (swept !== null && sweepRoot !== null) {
        const values = configs.map((r) => ({ value: r.value ?? "", dir: r.dir }));
        if (writeSweepReport(sweepRoot, swept.key, values) !== null)
          process.stdout.write(`${sweepRoot}/report.html (the sweep)\n`);
      }
    };
    try {
      await (sweepRoot === null ? runAll() : withFolderLock(sweepRoot, "calign run --sweep", runAll));
      await group?.destroy();
      return 0;
    } catch (err) {
      if (err instanceof StoppedError) {
        process.stderr.write(`calign run: ${err.message}; rerun the same command to continue\n`);
        return 130;
      }
      throw err;
    } finally {
      stop.dispose();
    }
  },
};
