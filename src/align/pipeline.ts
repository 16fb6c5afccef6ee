// `calign run`: the paper's pipeline as stages over one run directory — augment → SFT baseline →
// SFT(IA) → sample → self-reward → pairs → CAT → evaluate — each reading and writing files there and
// recorded in manifest.json. Finished stages whose inputs did not change are skipped; training stages
// resume from their checkpoints, so killing a run at any point and rerunning it loses nothing done
// (the temporary files the killed run was writing are swept). Every path and system the config names
// is checked before the first stage. Callers hold the run directory's lock (util/folder-lock.ts). Launched
// as several ranks, every rank drives the same loop: rank 0 plans and writes, the others follow.
// The stages themselves are the table in pipeline-stages.ts; this file drives it.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type FlatConfig, nest } from "../config/index.js";
import type { ProcessGroup } from "../distributed/index.js";
import { runWorker } from "../engine/worker.js";
import { listCheckpoints } from "../train/checkpoint.js";
import type { TrainProgress, TrainResult } from "../train/trainer.js";
import type { TrainerRequest } from "../train/training-run.js";
import { sweepDeadTemps } from "../util/temp-path.js";
import {
  contentHash,
  type Manifest,
  readManifest,
  type StageRecord,
  stageKey,
  writeManifest,
} from "./manifest.js";
import type { ParaphraseSource } from "./paraphrase-source.js";
import {
  keyedDtype,
  PIPELINE,
  type PipelineStage,
  type StageContext,
  stagesNeeded,
  trainedModel,
} from "./pipeline-stages.js";
import { type KeySources, preflightRun } from "./run-preflight.js";
import { type RunSettings, runSettings, STAGES, type Stage } from "./run-schema.js";

export interface PipelineEvent {
  stage: Stage;
  /**
   * "start", "skip" (done before, inputs unchanged; or done by a donor, then `info` names it),
   * "progress", "done", "warning" (after "done": `info` says what the user must know of the result).
   */
  kind: "start" | "skip" | "progress" | "done" | "warning";
  done?: number;
  total?: number;
  info?: string;
}

export interface PipelineOptions {
  runDir: string;
  /** The values loaded from RUN_SCHEMA (sections augment, sft, ... as dotted keys). */
  config: FlatConfig;
  from?: Stage;
  until?: Stage;
  /** Where each config key was set, for the errors of the checks before the first stage. */
  sources?: KeySources;
  /** The offline rule-based paraphraser (augment.source "rules"). */
  rules?: ParaphraseSource;
  onEvent?: (e: PipelineEvent) => void;
  signal?: AbortSignal;
  /**
   * Run directories (a sweep's earlier values) whose finished stages this run copies instead of running,
   * where its key for the stage is theirs: the key covers every input, so the output is the same. A sweep
   * over a CAT setting trains SFT and SFT(IA) once.
   */
  donors?: readonly string[];
  /**
   * The ranks of a launch, each calling runPipeline with the same options: rank 0 decides what runs and
   * writes the run directory, the others follow; embedded stages are shared, trainers run data-parallel.
   */
  group?: ProcessGroup;
}

export class StoppedError extends Error {
  override name = "StoppedError";
}

/** The trainers' worker entries, by the trainer a stage asks for. */
const TRAINERS = { sft: "sft.worker.js", dpo: "dpo.worker.js" } as const;

/**
 * A stage this run reaches: its key, whether it finished before with that key (then it is skipped), and
 * the donor run directory that finished it with that key (then its output is copied), if any.
 */
interface Step {
  stage: Stage;
  key: string;
  skip: boolean;
  donor: string | null;
}

export async function runPipeline(o: PipelineOptions): Promise<void> {
  const settings = runSettings(o.config);
  preflightRun(settings, o.sources);
  const sections = nest(o.config);
  const manifestPath = join(o.runDir, "manifest.json");
  // Rank 0 (or the one process) reads and writes the run directory and decides what runs; the other
  // ranks of a launch follow its plan.
  const manifest = o.group === undefined || o.group.isMain ? prepare(o.runDir, manifestPath, sections) : null;
  const planned = manifest === null ? null : await plan(manifest, sections, settings, o);
  const theirs = o.group === undefined ? planned : (await o.group.allGatherJson(planned))[0];
  if (!theirs) throw new Error("rank 0 of the run sent no plan");
  const { steps, keys } = theirs;
  for (const { stage: name, key, skip, donor } of steps) {
    const stage = PIPELINE[name];
    if (skip) {
      o.onEvent?.({ stage: name, kind: "skip" });
      continue;
    }
    if (donor !== null) {
      if (manifest !== null) copyStage(donor, o.runDir, name, manifestPath, manifest);
      o.onEvent?.({ stage: name, kind: "skip", info: `same inputs as in ${donor}: copied` });
      continue;
    }
    if (o.signal?.aborted) throw new StoppedError(`stopped before ${name}`);
    const started = new Date().toISOString();
    if (manifest !== null) {
      // Same key and unfinished: resume in place. Changed inputs: start the stage afresh.
      const prev = manifest.stages[name];
      if ("folder" in stage.output && prev !== undefined && prev.key !== key)
        rmSync(join(o.runDir, stage.output.folder), { recursive: true, force: true });
      record(manifestPath, manifest, name, { status: "running", key, started });
    }
    // Past this, every rank sees what rank 0 wrote before it (the earlier stages' outputs).
    await o.group?.barrier();
    o.onEvent?.({ stage: name, kind: "start" });
    const summary = await stage.run(settings, context(name, key, keys, o)).catch((err: unknown) => {
      // A backend call ended by the interrupt: the stage stopped, as a trainer that checkpointed.
      throw o.signal?.aborted ? new StoppedError(`stopped during ${name}`) : err;
    });
    if (manifest !== null)
      record(manifestPath, manifest, name, {
        status: "done",
        key,
        started,
        finished: new Date().toISOString(),
        summary,
      });
    o.onEvent?.({ stage: name, kind: "done" });
    // Under a launch the summary is rank 0's (undefined on the others, which print nothing anyway).
    if (summary !== undefined)
      for (const info of stage.warnings?.(summary) ?? []) o.onEvent?.({ stage: name, kind: "warning", info });
  }
}

/** The run directory made ready: created, a killed run's half-written files swept; its manifest. */
function prepare(runDir: string, manifestPath: string, sections: Record<string, unknown>): Manifest {
  mkdirSync(runDir, { recursive: true });
  // A killed run's half-written files; everything it finished is kept and reused.
  sweepDeadTemps(runDir);
  return readManifest(manifestPath, sections);
}

/**
 * The stages from `from` to `until` (to evaluate: those its systems need), each keyed, and skipped if it
 * finished before with that key; and every stage's key, run or not.
 */
async function plan(
  manifest: Manifest,
  sections: Record<string, unknown>,
  settings: RunSettings,
  o: PipelineOptions,
): Promise<{ steps: Step[]; keys: Record<Stage, string> }> {
  const first = STAGES.indexOf(o.from ?? "augment");
  const last = STAGES.indexOf(o.until ?? "evaluate");
  // A run that evaluates does only what its systems need; `until` an earlier stage does every stage to it.
  const needed = last === STAGES.indexOf("evaluate") ? stagesNeeded(settings.systems) : null;
  const keys: Partial<Record<Stage, string>> = {};
  const steps: Step[] = [];
  for (const [i, name] of STAGES.entries()) {
    // Every stage is keyed, run or not: a later stage's key covers the earlier ones'.
    const key = await keyOf(PIPELINE[name], sections, settings, keys);
    keys[name] = key;
    if (i < first || i > last || (needed !== null && !needed.has(name))) continue;
    const prev = manifest.stages[name];
    const skip = prev?.status === "done" && prev.key === key;
    steps.push({ stage: name, key, skip, donor: skip ? null : donorOf(o.donors ?? [], name, key) });
  }
  return { steps, keys: keys as Record<Stage, string> };
}

/** The first of `donors` that finished `stage` with `key` and still holds its output, or null. */
function donorOf(donors: readonly string[], stage: Stage, key: string): string | null {
  return (
    donors.find((dir) => {
      const path = join(dir, "manifest.json");
      if (!existsSync(path)) return false;
      const done = (JSON.parse(readFileSync(path, "utf8")) as Manifest).stages[stage];
      return done?.status === "done" && done.key === key && existsSync(outputPath(dir, stage));
    }) ?? null
  );
}

/**
 * Copies `stage`'s output from `donor` over this run's, and records it done as the donor did. A trainer's
 * checkpoints stay behind: a finished stage never resumes, and each is a full copy of the weights.
 */
function copyStage(donor: string, runDir: string, stage: Stage, manifestPath: string, manifest: Manifest) {
  const done = (JSON.parse(readFileSync(join(donor, "manifest.json"), "utf8")) as Manifest).stages[stage];
  if (done === undefined) throw new Error(`${donor}/manifest.json lost its ${stage} stage`);
  const from = outputPath(donor, stage);
  const to = outputPath(runDir, stage);
  const trained = "folder" in PIPELINE[stage].output ? listCheckpoints(from) : [];
  const checkpoints = new Set(trained.map((c) => c.dir));
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, filter: (path) => !checkpoints.has(path) });
  record(manifestPath, manifest, stage, { ...done, copiedFrom: donor });
}

/** Where `stage` writes in the run directory `runDir`. */
function outputPath(runDir: string, stage: Stage): string {
  const out = PIPELINE[stage].output;
  return join(runDir, "file" in out ? out.file : out.folder);
}

function record(path: string, manifest: Manifest, stage: Stage, entry: StageRecord): void {
  manifest.stages[stage] = entry;
  writeManifest(path, manifest);
}

/** The key over a stage's inputs: its config section as written, then each of its other inputs. */
export async function keyOf(
  stage: PipelineStage,
  sections: Record<string, unknown>,
  c: RunSettings,
  keys: Partial<Record<Stage, string>>,
): Promise<string> {
  const parts: unknown[] = [sections[stage.section] ?? {}];
  for (const input of stage.inputs) {
    if ("contents" in input) {
      const path = c[input.contents];
      parts.push(path === null ? null : await contentHash(path));
    } else if ("stage" in input) parts.push(keys[input.stage]);
    else if ("format" in input) parts.push({ format: input.format });
    else if ("section" in input) parts.push(sections[input.section] ?? {});
    else if ("dtype" in input) {
      const dtype = keyedDtype(c);
      if (dtype !== null && input.dtype(c)) parts.push(dtype);
    } else if (c[input.option] !== null) parts.push(c[input.option]);
  }
  return stageKey(parts);
}

/** What the stage `name` runs with: paths in the run directory, progress events, the trainers. */
function context(name: Stage, key: string, keys: Record<Stage, string>, o: PipelineOptions): StageContext {
  const outputOf = (stage: Stage) => outputPath(o.runDir, stage);
  const progress = (done: number, total: number, info?: string) =>
    o.onEvent?.({ stage: name, kind: "progress", done, total, ...(info === undefined ? {} : { info }) });
  return {
    output: outputOf(name),
    outputOf,
    modelOf: (stage) => trainedModel(outputOf(stage)),
    keyOf: (stage) => keys[stage],
    donors: o.donors ?? [],
    progress,
    train: async (trainer, config) => {
      const url = new URL(`../train/${TRAINERS[trainer]}`, import.meta.url);
      // Rank 0 has written the trainer's data; each rank's trainer joins a group of its own.
      await o.group?.barrier();
      const request: TrainerRequest = { config, rendezvous: o.group?.nestedRendezvous(name) ?? null };
      const r = await runWorker<TrainerRequest, TrainResult, TrainProgress>(url, request, {
        ...(o.signal ? { signal: o.signal } : {}),
        onProgress: (p) =>
          progress(p.step, p.totalSteps, p.metrics ? `loss ${p.metrics.loss?.toFixed(4)}` : ""),
      });
      if (r.stopped) throw new StoppedError(`stopped during ${name}`);
      return r.lastMetrics;
    },
    ...(o.rules ? { rules: o.rules } : {}),
    ...(o.group ? { group: o.group } : {}),
    // Keyed like the stage: calls cached for other inputs (another model, say) are never served.
    cacheDir: join(o.runDir, "http-cache", `${name}-${key}`),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}
