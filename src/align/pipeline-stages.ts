// The pipeline as a table: each stage of `calign run` with its config section (its settings), what its
// key covers besides that section (files' contents, upstream stages' keys, run options), what it writes
// in the run directory, and how it runs. The driving loop (pipeline.ts) keys, skips, records and runs
// them in the order of STAGES.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { isUrlTarget } from "../backends/backend-target.js";
import { ConfigError } from "../config/index.js";
import { type ParaphraseGroup, readAllGroups, writeJsonl } from "../data/index.js";
import type { ProcessGroup } from "../distributed/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { fitsWhole } from "../train/sft-examples.js";
import { type AugmentSummary, augmentWarnings } from "./augment.js";
import { contentHash, stageKey } from "./manifest.js";
import type { ParaphraseSource } from "./paraphrase-source.js";
import { type ResponseKeys, reusedResponses, writeResponseKeys } from "./reused-responses.js";
import type { RunSettings, Section, Stage, StageSections, TrainerConfig } from "./run-schema.js";
import { sftExamples } from "./sft-data.js";
import {
  augmentFile,
  type Connection,
  evaluateModels,
  type Progress,
  pairsFile,
  rewardFile,
  sampleFile,
} from "./stage-files.js";
import { verificationExamples } from "./verification-examples.js";

/** Besides its config section, what a stage's key covers. */
export type StageInput =
  /** The contents of a file or model folder the run config names. */
  | { contents: "train" | "eval" | "model" | "prompts" }
  /** An upstream stage's key (so a change there reruns this stage). */
  | { stage: Stage }
  /** A run option (one left unset does not enter the key, so keys from before it existed still hold). */
  | { option: "systems" | "answerPattern" }
  /** The run's dtype, where the stage's settings have it run a model on calign's engine (see keyedDtype). */
  | { dtype: (c: RunSettings) => boolean }
  /** A config section no stage owns (what it says enters the stage's data). */
  | { section: "judge_data" }
  /**
   * The shape of the files the stage writes: raised when they change, so that a run folder a stage
   * finished under an older calign does that stage again instead of handing its files on.
   */
  | { format: number };

/**
 * The format of what evaluate writes (eval/<system>.metrics.json): 1 before the collapse diagnostics,
 * 2 with them (the report needs them), 3 with the views per wording origin.
 */
export const EVALUATE_FORMAT = 3;

/** What a running stage is given by the driver. */
export interface StageContext {
  /** Its own output (a file or folder in the run directory). */
  output: string;
  /** An upstream stage's output. */
  outputOf(stage: Stage): string;
  /** The model an upstream training stage produced. */
  modelOf(stage: Stage): string;
  /** An upstream stage's key. */
  keyOf(stage: Stage): string;
  /** Run directories (a sweep's earlier values) whose evaluation responses this run may read. */
  donors: readonly string[];
  progress: Progress;
  /**
   * Runs a trainer in a worker with this stage's progress (of several ranks, every rank's trainer, data-
   * parallel, once rank 0 has written the stage's data); resolves to its last metrics.
   */
  train(trainer: "sft" | "dpo", config: TrainerConfig): Promise<unknown>;
  /** The ranks of a launch (undefined: one process): stages share their embedded work, rank 0 writes. */
  group?: ProcessGroup;
  /** The offline rule-based paraphraser (augment.source "rules", sample.wordings "rules"). */
  rules?: ParaphraseSource;
  /** Where the stage's HTTP calls are kept until it finishes (a folder per stage and key). */
  cacheDir: string;
  /** The run's interrupt, passed to every backend call. */
  signal?: AbortSignal;
}

/** A stage of the table, its settings section resolved by the driver. */
export interface PipelineStage {
  /** Its config section: its settings, and the first part of its key. */
  section: Section;
  inputs: readonly StageInput[];
  /**
   * What it writes in the run directory. A folder is the stage's own: kept (training resumes from its
   * checkpoints) while the stage's key is unchanged, removed when its inputs changed.
   */
  output: { file: string } | { folder: string };
  run(c: RunSettings, at: StageContext): Promise<unknown>;
  /** What the user must be told about a finished run's summary (none by default). */
  warnings?(summary: unknown): string[];
}

interface StageSpec<K extends Section> extends Omit<PipelineStage, "run"> {
  section: K;
  run(settings: StageSections[K], c: RunSettings, at: StageContext): Promise<unknown>;
}

/** A stage whose run gets its own section's typed settings. */
function stage<K extends Section>(spec: StageSpec<K>): PipelineStage {
  return { ...spec, run: (c, at) => spec.run(c[spec.section], c, at) };
}

/** How the stage reaches its model: the run's device, dtype and `http` settings, cache folder, interrupt. */
function connection(c: RunSettings, at: StageContext): Connection {
  return {
    http: c.http,
    device: c.device,
    dtype: c.dtype,
    cacheDir: at.cacheDir,
    ...(at.signal ? { signal: at.signal } : {}),
  };
}

/** The run's dtype in a key: absent for float32, so run folders keyed before it existed keep their keys. */
export function keyedDtype(c: RunSettings): { dtype: RunSettings["dtype"] } | null {
  return c.dtype === "float32" ? null : { dtype: c.dtype };
}

/** A stage whose settings always have it run a model. */
const always = () => true;

/** A trainer section's device, or the run's where the section leaves it auto. */
function trainerDevice(s: TrainerConfig, c: RunSettings): string {
  return s.device === undefined || s.device === "auto" ? c.device : String(s.device);
}

/** Rank 0 of a launch, or the one process: the one that writes. */
function writes(at: StageContext): boolean {
  return at.group === undefined || at.group.isMain;
}

/**
 * Runs a stage's work where it belongs: shared by every rank when all its models run on calign's own
 * engine here; else (models behind a server, called once, or no model: null) on rank 0 alone, while the
 * other ranks go on to wait for it at the next stage. The summary is rank 0's (undefined elsewhere).
 */
function onRanks<T>(
  c: RunSettings,
  at: StageContext,
  models: readonly string[] | null,
  work: (group?: ProcessGroup) => Promise<T>,
): Promise<T | undefined> {
  const embedded = models !== null && c.http.server === null && !models.some(isUrlTarget);
  if (at.group !== undefined && embedded) return work(at.group);
  return writes(at) ? work() : Promise.resolve(undefined);
}

/** The model folder a training stage produced (the merged one when it trained LoRA adapters). */
export function trainedModel(dir: string): string {
  return existsSync(join(dir, "model-merged")) ? join(dir, "model-merged") : join(dir, "model");
}

/**
 * SFT on the groups' instructions (and their paraphrases, or one wording of each group given
 * `oneWording`, the draw's seed) and on the verification examples of the
 * training items as given, in the stage's folder: the SFT baseline and SFT(IA) get the same verification
 * examples, so they differ only in instruction augmentation. The summary is the trainer's last metrics
 * and the verification examples' counts.
 */
async function trainSft(
  groups: ParaphraseGroup[],
  s: TrainerConfig,
  c: RunSettings,
  at: StageContext,
  oneWording?: number,
) {
  const data = join(at.output, "data.jsonl");
  // Only examples the trainer takes whole: a judge prompt is longer than the instruction it asks about.
  const tok = loadTokenizer(c.model);
  const maxLength = Number(s.max_length);
  const verification = verificationExamples(await readAllGroups(c.train), {
    ...c.judgeData,
    fits: (e) => fitsWhole(tok, e, maxLength, c.chat, { file: data, line: null }),
  });
  if (writes(at)) {
    mkdirSync(at.output, { recursive: true });
    await writeJsonl(data, [...sftExamples(groups, oneWording), ...verification.examples]);
  }
  const run = { model: c.model, data, output: at.output, chat: c.chat, device: trainerDevice(s, c) };
  const metrics = await at.train("sft", { ...s, ...run, resume: true });
  return { ...(metrics as Record<string, unknown> | null), verification: verification.summary };
}

/** The systems `systems:` can name: the base model, or the model a training stage produced. */
const SYSTEMS: Record<string, Stage | null> = { base: null, sft: "sft", sft_ia: "sft_ia", cat: "cat" };

/** The training stage whose model system `name` is (null: the base model); `source` locates the name. */
export function systemStage(name: string, source = "run config"): Stage | null {
  const stage = SYSTEMS[name];
  if (stage === undefined)
    throw new ConfigError(source, "systems", `unknown system '${name}' (${Object.keys(SYSTEMS).join(", ")})`);
  return stage;
}

/**
 * The stages evaluating `systems` needs: evaluate, each system's training stage, and the stages those
 * read (so `systems: [sft]` trains neither SFT(IA) nor CAT).
 */
export function stagesNeeded(systems: readonly string[]): Set<Stage> {
  const needed = new Set<Stage>(["evaluate"]);
  const visit = (stage: Stage): void => {
    if (needed.has(stage)) return;
    needed.add(stage);
    for (const input of PIPELINE[stage].inputs) if ("stage" in input) visit(input.stage);
  };
  for (const name of systems) {
    const stage = systemStage(name);
    if (stage !== null) visit(stage);
  }
  return needed;
}

/**
 * The key of each trained system's evaluation responses: the answering settings (not the bootstrap, which
 * only the figures read), the eval set, the system's training stage. The base model's are not keyed.
 */
async function responseKeys(s: StageSections["evaluate"], c: RunSettings, at: StageContext) {
  const answering = { ...s, bootstrap: undefined };
  const evalHash = await contentHash(c.eval);
  const keys: ResponseKeys = {};
  for (const system of c.systems) {
    const stage = systemStage(system);
    if (stage === null) continue;
    const parts = {
      answering,
      chat: c.chat,
      evalHash,
      model: at.keyOf(stage),
      format: EVALUATE_FORMAT,
      ...keyedDtype(c),
    };
    keys[system] = { key: stageKey(parts), from: null };
  }
  return keys;
}

/** The systems to evaluate, each with its model. */
function systemModels(c: RunSettings, at: StageContext): [string, string][] {
  return c.systems.map((s): [string, string] => {
    const stage = systemStage(s);
    return [s, stage === null ? c.model : at.modelOf(stage)];
  });
}

export const PIPELINE: Record<Stage, PipelineStage> = {
  augment: stage({
    section: "augment",
    inputs: [{ contents: "train" }, { contents: "eval" }, { dtype: (c) => c.augment.source === "model" }],
    output: { file: "augmented.jsonl" },
    run: (s, c, at) => {
      const paraphraser = s.paraphraser ?? c.model;
      return onRanks(c, at, s.source === "model" ? [paraphraser] : null, (group) =>
        augmentFile(
          c.train,
          at.output,
          { ...s, paraphraser, chat: c.chat, heldOut: c.eval, ...(at.rules ? { rules: at.rules } : {}) },
          connection(c, at),
          group,
        ),
      );
    },
    warnings: (summary) => augmentWarnings(summary as AugmentSummary),
  }),
  sft: stage({
    section: "sft",
    inputs: [{ contents: "train" }, { contents: "model" }, { section: "judge_data" }],
    output: { folder: "sft" },
    run: async (s, c, at) => trainSft(await readAllGroups(c.train), s, c, at),
  }),
  sft_ia: stage({
    section: "sft",
    inputs: [{ stage: "augment" }, { contents: "train" }, { contents: "model" }, { section: "judge_data" }],
    output: { folder: "sft_ia" },
    run: async (s, c, at) =>
      trainSft(
        await readAllGroups(at.outputOf("augment")),
        s,
        c,
        at,
        c.augment.rows === "one" ? c.augment.seed : undefined,
      ),
  }),
  sample: stage({
    section: "sample",
    inputs: [
      { stage: "augment" },
      { stage: "sft_ia" },
      { contents: "prompts" },
      { contents: "eval" },
      { dtype: always },
    ],
    output: { file: "samples.jsonl" },
    run: (s, c, at) =>
      onRanks(c, at, [at.modelOf("sft_ia")], (group) =>
        sampleFile(
          at.outputOf("augment"),
          c.prompts,
          at.output,
          at.modelOf("sft_ia"),
          { ...s, chat: c.chat, heldOut: c.eval, ...(at.rules ? { rules: at.rules } : {}) },
          connection(c, at),
          at.progress,
          group,
        ),
      ),
  }),
  reward: stage({
    section: "reward",
    inputs: [{ stage: "sample" }, { dtype: always }, { option: "answerPattern" }],
    output: { file: "rewards.jsonl" },
    run: (s, c, at) =>
      onRanks(c, at, [at.modelOf("sft_ia")], (group) =>
        rewardFile(
          at.outputOf("sample"),
          at.output,
          at.modelOf("sft_ia"),
          { ...s, chat: c.chat, references: c.prompts ?? c.train, answerPattern: c.answerPattern },
          connection(c, at),
          at.progress,
          group,
        ),
      ),
  }),
  pairs: stage({
    section: "pairs",
    inputs: [{ stage: "reward" }, { option: "answerPattern" }],
    output: { file: "pairs.jsonl" },
    run: (s, c, at) =>
      onRanks(c, at, null, () =>
        pairsFile(at.outputOf("reward"), at.output, {
          ...s,
          references: c.prompts ?? c.train,
          answerPattern: c.answerPattern,
        }),
      ),
  }),
  cat: stage({
    section: "cat",
    inputs: [{ stage: "pairs" }, { stage: "sft_ia" }],
    output: { folder: "cat" },
    run: (s, c, at) =>
      at.train("dpo", {
        ...s,
        model: at.modelOf("sft_ia"),
        data: at.outputOf("pairs"),
        output: at.output,
        chat: c.chat,
        device: trainerDevice(s, c),
        resume: true,
      }),
  }),
  evaluate: stage({
    section: "evaluate",
    inputs: [
      { option: "systems" },
      { option: "answerPattern" },
      { contents: "eval" },
      { stage: "sft" },
      { stage: "sft_ia" },
      { stage: "cat" },
      { format: EVALUATE_FORMAT },
      { dtype: always },
    ],
    output: { folder: "eval" },
    run: async (s, c, at) => {
      const systems = systemModels(c, at);
      const keys = await responseKeys(s, c, at);
      const reused = new Map<string, ParaphraseGroup[]>();
      for (const [system, { key }] of Object.entries(keys)) {
        const found = await reusedResponses(at.donors, system, key);
        if (found === null) continue;
        reused.set(system, found.groups);
        keys[system] = { key, from: found.from };
      }
      const summary = await onRanks(
        c,
        at,
        systems.map(([, model]) => model),
        (group) =>
          evaluateModels(
            c.eval,
            at.output,
            systems,
            { ...s, chat: c.chat, answerPattern: c.answerPattern },
            connection(c, at),
            at.progress,
            group,
            reused,
          ),
      );
      if (writes(at)) writeResponseKeys(at.output, keys);
      return summary;
    },
  }),
};
