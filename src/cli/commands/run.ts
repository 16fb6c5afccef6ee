// `calign run <config>`: the whole consistency-alignment pipeline from one YAML/JSON file.
import { resolve } from "node:path";
import { rulesSource } from "../../align/paraphrase-rules-source.js";
import { type PipelineEvent, runPipeline, StoppedError } from "../../align/pipeline.js";
import { RUN_SCHEMA, STAGES, type Stage } from "../../align/run-schema.js";
import { expandSweep, parseSweep } from "../../align/sweep.js";
import { loadConfig, saveEffectiveConfig, schemaHelp } from "../../config/index.js";
import { writeReport } from "../../report/write-report.js";
import { type Command, UsageError } from "../command.js";
import { interruptSignal } from "../interrupt.js";
import { type ProgressBar, progressBar } from "../progress.js";
import { requireSingleProcess } from "../single-process.js";

const HELP = `Usage: calign run CONFIG.yaml --out RUN_DIR [--from STAGE] [--until STAGE] [--sweep KEY=V1,V2,...] [options]

Runs the consistency-alignment pipeline of Zhao et al. 2024 (arXiv 2403.14221) in RUN_DIR:
  augment   n paraphrases per training instruction (rules | pool | model), filtered
  sft       the plain SFT baseline: SFT on the training items as given (their original wordings)
  sft_ia    stage 1, SFT(IA): SFT on the originals and their paraphrases
  sample    k candidates per instruction variant from the SFT(IA) model
  reward    self-reward by the SFT(IA) model (default: P("Yes") as judge)
  pairs     best vs worst candidate per prompt, above a minimum reward gap
  cat       stage 2, CAT: DPO + λ·SFT on those pairs, from the SFT(IA) model
  evaluate  every system's responses to the held-out wordings; accuracy, ROUGE-L, CR with intervals
Then report.json and a self-contained report.html. manifest.json records the effective config,
versions, and each stage's status, input key and summary. Rerunning skips finished stages whose
inputs are unchanged; a killed run continues where it stopped (training resumes from checkpoints).

  --out DIR        the run directory (required)
  --from STAGE     start at this stage (earlier ones must be done)
  --until STAGE    stop after this stage
  --sweep K=V,...  one run per value, in RUN_DIR/K=V (e.g. --sweep cat.sft_weight=0,0.5,1,2 or augment.n=1,5,10)

Config keys (any can also be given as a flag, e.g. --cat.beta 0.2):
${schemaHelp(RUN_SCHEMA)}
`;

function stageArg(v: string | undefined, flag: string): Stage | undefined {
  if (v === undefined) return undefined;
  if (!(STAGES as readonly string[]).includes(v))
    throw new UsageError(`${flag} must be one of ${STAGES.join(", ")}, got '${v}'`);
  return v as Stage;
}

/** Pulls --out/--from/--until/--sweep out of argv; the rest is config. */
function ownFlags(argv: string[]): {
  rest: string[];
  out?: string;
  from?: string;
  until?: string;
  sweep?: string;
} {
  const rest: string[] = [];
  const own: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const m = /^--(out|from|until|sweep)(?:=(.*))?$/.exec(a);
    if (m === null) {
      rest.push(a);
      continue;
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new UsageError(`--${m[1]} needs a value`);
    own[m[1] as string] = v;
  }
  return { rest, ...own };
}

export const run: Command = {
  name: "run",
  summary: "the whole pipeline (augment → SFT(IA) → sample → reward → pairs → CAT → evaluate) from a config",
  help: HELP,
  async run(argv) {
    requireSingleProcess("calign run");
    const { rest, out, from, until, sweep } = ownFlags(argv);
    const [file, ...flags] = rest;
    if (file === undefined || file.startsWith("--"))
      throw new UsageError("a config file is required (calign run CONFIG.yaml --out DIR)");
    if (out === undefined) throw new UsageError("--out RUN_DIR is required");
    const runs = expandSweep(resolve(out), sweep === undefined ? null : parseSweep(sweep));
    const stop = interruptSignal();
    try {
      for (const r of runs) {
        const loaded = loadConfig(RUN_SCHEMA, ["--config", file, ...flags, ...r.flags]);
        for (const key of ["model", "train", "eval"]) {
          if (loaded.values.get(key) === null) throw new UsageError(`${key} is required in the config`);
        }
        saveEffectiveConfig(r.dir, loaded, "run");
        let bar: ProgressBar | null = null;
        const onEvent = (e: PipelineEvent) => {
          if (e.kind === "start") bar = progressBar(e.stage, 1);
          else if (e.kind === "skip")
            process.stderr.write(`${e.stage}: done before, inputs unchanged: skipped\n`);
          else if (e.kind === "progress") bar?.update(e.done ?? 0, e.info ?? "", e.total ?? 1);
          else bar?.finish();
        };
        await runPipeline({
          runDir: r.dir,
          config: loaded.values,
          ...(from ? { from: stageArg(from, "--from") } : {}),
          ...(until ? { until: stageArg(until, "--until") } : {}),
          rules: rulesSource,
          onEvent,
          signal: stop.signal,
        });
        const report = await writeReport(r.dir);
        process.stdout.write(`${r.dir}/report.html\n${report.headline}\n`);
      }
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
