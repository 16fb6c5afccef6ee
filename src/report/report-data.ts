// report.json: everything a person needs to judge a run — the paper-style table (accuracy, ROUGE-L,
// CR per system, with intervals), the collapse diagnostics and flags (CR gains that come with falling
// input sensitivity or accuracy), the self-reward judge's health and the pairs against the checker,
// paired differences, a per-task breakdown with each task's chance and majority-answer baselines, the
// responses of every system to every variant of a few items, training curves, stage summaries, and
// every default used. Every figure is a stage's (the systems' from eval/<system>.metrics.json, the
// judge's and the pairs' from their stages' summaries), never recomputed here.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SystemMetricsFile, ViewMetrics } from "../align/evaluate.js";
import { type JudgeHealth, judgeWarnings } from "../align/judge-health.js";
import type { PairChecker } from "../align/pair-checker.js";
import type { PairSummary } from "../align/pairs.js";
import { type ParaphraseGroup, readAllGroups } from "../data/index.js";
import {
  type CollapseFigures,
  type CollapseFlag,
  type CollapseMacro,
  collapseFlag,
  DEFAULT_BOOTSTRAP,
  type Difference,
  type Estimate,
} from "../metrics/index.js";
import type { SeedEstimate, SeedSummary } from "../metrics/seed-summary.js";
import { meanOrNull } from "../metrics/stats.js";
import { readMetrics } from "../train/metrics-log.js";
import { VERSION } from "../util/version.js";

/** One system's figures over a set of responses (every variant, or one wording origin's). */
export interface ViewRow {
  accuracy: Estimate;
  rougeL: Estimate;
  cr: Estimate;
  /** CR on correct answers (exact match). */
  crCorrect: Estimate;
  worstAccuracy: Estimate;
  /** Macro over tasks: accuracy, majority and chance baselines, input sensitivity, CR, CR on correct answers. */
  collapse: CollapseMacro;
}

export interface SystemRow extends ViewRow {
  name: string;
  /** Per wording origin, when the evaluation set mixes several; else {}. */
  views: Record<string, ViewRow>;
}

export interface ComparisonRow {
  a: string;
  b: string;
  accuracy: Difference;
  rougeL: Difference;
  cr: Difference;
  crCorrect: Difference;
}

/** One system's figures on one task. */
export interface TaskFigures {
  accuracy: number | null;
  cr: number | null;
  crCorrect: number | null;
  inputSensitivity: number | null;
  items: number;
}

/** One task's figures per system (and per wording origin, when the set mixes several), next to what a guess scores. */
export interface TaskRow {
  task: string;
  /** 1 / the task's number of options, when fixed; else null. */
  chance: number | null;
  /** Accuracy of always giving the task's most frequent gold answer. */
  majority: number | null;
  majorityAnswer: string | null;
  systems: Record<string, TaskFigures & { views: Record<string, TaskFigures> }>;
}

export interface Example {
  id: string;
  task?: string;
  input: string;
  references: string[];
  variants: { text: string; origin: string; responses: Record<string, string> }[];
}

export interface ReportData {
  calign: string;
  created: string;
  runDir: string;
  /** The choices method.md leaves open, as this run made them. */
  choices: Record<string, unknown>;
  config: Record<string, unknown>;
  stages: Record<string, unknown>;
  systems: SystemRow[];
  comparisons: ComparisonRow[];
  /**
   * Each system whose CR rose over the system before it while input sensitivity or accuracy fell (over
   * several seeds, each seed's flags, with the seed).
   */
  flags: (CollapseFlag & { seed?: number })[];
  /** With seedSummary, each figure's mean over the seeds. */
  perTask: TaskRow[];
  /** The reward stage's judge health, with what is wrong with it in plain words (null: no reward stage). */
  judge: (JudgeHealth & { warnings: string[] }) | null;
  /**
   * The preference pairs against the checker (the pairs stage's summary), empty when no pair's item has
   * references or there is no pairs stage; over several seeds, one entry per seed.
   */
  pairs: (PairChecker & { seed?: number })[];
  examples: Example[];
  curves: Record<string, { step: number; loss: number; [k: string]: number }[]>;
  headline: string;
  /** Several seeds (calign demo): the table over seeds, which then opens the report. */
  seedSummary?: SeedSummary;
  /** Several seeds on a set mixing wording origins: the table over seeds per origin, and the gap. */
  seedViews?: SeedViews;
  /** Targets set in advance, each met or missed by the table over seeds (calign demo). */
  targets?: Target[];
}

export interface SeedViews {
  /** Per wording origin, in the evaluation set's order (seed wordings, then held-out ones). */
  views: Record<string, SeedSummary>;
  /** Per system, the later view minus the earlier one (held-out minus seed wordings), per seed, summarised. */
  gap: { later: string; earlier: string; systems: SeedSummary["systems"] };
}

/** A target and what the table over seeds says of it. */
export interface Target {
  /** What is compared, e.g. "SFT(IA)+CAT − SFT(IA), held-out CR". */
  claim: string;
  /** The rule it is judged by, in words. */
  rule: string;
  estimate: SeedEstimate;
  /** undecided: the rule needs an interval and there is one seed. */
  status: "met" | "missed" | "undecided";
}

const SYSTEM_TITLES: Record<string, string> = {
  base: "base",
  sft: "SFT",
  sft_ia: "SFT (IA)",
  cat: "SFT (IA) + CAT",
};
export const systemTitle = (s: string) => SYSTEM_TITLES[s] ?? s;

function headlineOf(rows: ComparisonRow[]): string {
  const parts = rows.map((r) => {
    const d = (x: Difference, name: string) =>
      x.difference === null
        ? `${name} n/a`
        : `${name} ${x.difference >= 0 ? "+" : ""}${(100 * x.difference).toFixed(1)} pts [${(100 * (x.ci?.[0] ?? 0)).toFixed(1)}, ${(100 * (x.ci?.[1] ?? 0)).toFixed(1)}]`;
    return `${systemTitle(r.b)} → ${systemTitle(r.a)}: ${d(r.cr, "CR")}, ${d(r.accuracy, "accuracy")}`;
  });
  return parts.join("; ");
}

export async function buildReportData(
  runDir: string,
  manifest: { config: Record<string, unknown>; stages: Record<string, { summary?: unknown }> },
): Promise<ReportData> {
  const config = manifest.config;
  const systems = (config.systems as string[]) ?? [];
  const resamples = Number(
    (config.evaluate as Record<string, unknown> | undefined)?.bootstrap ?? DEFAULT_BOOTSTRAP.resamples,
  );
  const responses: Record<string, ParaphraseGroup[]> = {};
  const metrics: Record<string, SystemMetricsFile> = {};
  const rows: SystemRow[] = [];
  for (const s of systems) {
    const file = join(runDir, "eval", `${s}.responses.jsonl`);
    if (!existsSync(file)) continue;
    responses[s] = await readAllGroups(file);
    const m = readSystemMetrics(join(runDir, "eval", `${s}.metrics.json`));
    metrics[s] = m;
    rows.push({
      name: s,
      ...viewRow(m),
      views: Object.fromEntries(Object.entries(m.views).map(([o, v]) => [o, viewRow(v)])),
    });
  }
  const names = rows.map((r) => r.name);
  const comparisons: ComparisonRow[] = [];
  for (const a of names.slice(1)) {
    const ca = metrics[a]!.accuracy.comparison;
    const cr = metrics[a]!.rougeL.comparison;
    if (ca === undefined || cr === undefined) continue;
    comparisons.push({
      a,
      b: ca.other,
      accuracy: ca.figures.quality_mean!,
      rougeL: cr.figures.quality_mean!,
      cr: cr.figures.cr_macro!,
      crCorrect: ca.figures.cr_correct!,
    });
  }
  const flags = comparisons.flatMap((c) => {
    // The system compared with may be one this report leaves out.
    if (metrics[c.b] === undefined) return [];
    const flag = collapseFlag(
      { name: c.a, collapse: metrics[c.a]!.collapse },
      { name: c.b, collapse: metrics[c.b]!.collapse },
    );
    return flag === null ? [] : [flag];
  });
  const perTask = perTaskRows(names, metrics);
  const examples = names[0] === undefined ? [] : worstExamples(names, responses, metrics[names[0]]!);
  const curves = trainingCurves(runDir);
  const stages = Object.fromEntries(Object.entries(manifest.stages).map(([k, v]) => [k, v.summary]));
  const choices = choicesOf(config, resamples);
  return {
    calign: VERSION,
    created: new Date().toISOString(),
    runDir,
    choices,
    config,
    stages,
    systems: rows,
    comparisons,
    flags,
    perTask,
    judge: judgeOf(manifest.stages.reward?.summary),
    pairs: pairsOf(manifest.stages.pairs?.summary),
    examples,
    curves,
    headline: headlineOf(comparisons),
  };
}

/** The reward stage's summary with its warnings; a run recorded before the checker figures has none. */
function judgeOf(summary: unknown): ReportData["judge"] {
  if (summary === undefined || summary === null) return null;
  const health = { ...(summary as JudgeHealth) };
  health.checker ??= null;
  health.accepted ??= null;
  return { ...health, warnings: judgeWarnings(health) };
}

/** The pairs stage's checker figures; a run recorded before them, or without references, has none. */
function pairsOf(summary: unknown): PairChecker[] {
  const checker = (summary as Partial<PairSummary> | undefined)?.checker;
  return checker === undefined || checker === null ? [] : [checker];
}

/** A system's metrics file; one written before the collapse diagnostics or the views existed is refused by name. */
function readSystemMetrics(file: string): SystemMetricsFile {
  const m = JSON.parse(readFileSync(file, "utf8")) as SystemMetricsFile;
  if (m.collapse === undefined || m.views === undefined)
    throw new Error(
      `${file}: no ${m.collapse === undefined ? "collapse figures" : "views by wording origin"} (written by an older calign); evaluate again: rerun calign run on the run folder (it evaluates again), or calign evaluate`,
    );
  return m;
}

/**
 * Several seeds' per-task rows as one: each figure the mean over the seeds that have it (the baselines
 * and item counts are the first seed's; every seed answers the same evaluation set).
 */
export function meanTaskRows(seeds: readonly TaskRow[][]): TaskRow[] {
  const mean = (xs: readonly TaskFigures[]): TaskFigures => ({
    accuracy: meanOrNull(xs.map((x) => x.accuracy)),
    cr: meanOrNull(xs.map((x) => x.cr)),
    crCorrect: meanOrNull(xs.map((x) => x.crCorrect)),
    inputSensitivity: meanOrNull(xs.map((x) => x.inputSensitivity)),
    items: xs[0]?.items ?? 0,
  });
  const present = <T>(xs: readonly (T | undefined)[]) => xs.filter((x): x is T => x !== undefined);
  return (seeds[0] ?? []).map((t) => {
    const rows = present(seeds.map((r) => r.find((x) => x.task === t.task)));
    const systems = Object.entries(t.systems).map(([s, first]) => {
      const all = present(rows.map((r) => r.systems[s]));
      const views = Object.keys(first.views).map((o) => [o, mean(present(all.map((x) => x.views[o])))]);
      return [s, { ...mean(all), views: Object.fromEntries(views) }];
    });
    return { ...t, systems: Object.fromEntries(systems) };
  });
}

const viewRow = (m: ViewMetrics): ViewRow => ({
  accuracy: m.accuracy.figures.quality_mean as Estimate,
  rougeL: m.rougeL.figures.quality_mean as Estimate,
  cr: m.rougeL.figures.cr_macro as Estimate,
  crCorrect: m.accuracy.figures.cr_correct as Estimate,
  worstAccuracy: m.accuracy.figures.quality_worst as Estimate,
  collapse: m.collapse.macro,
});

/** One task's figures in one view's collapse diagnostics (a task the view lacks: no figures). */
function taskFigures(collapse: CollapseFigures, task: string): TaskFigures {
  const x = collapse.tasks.find((y) => y.task === task);
  return {
    accuracy: x?.accuracy ?? null,
    cr: x?.cr ?? null,
    crCorrect: x?.crCorrect ?? null,
    inputSensitivity: x?.inputSensitivity.value ?? null,
    items: x?.items ?? 0,
  };
}

/** Each task's figures per system (and view) and its baselines, from the evaluate stage's collapse diagnostics. */
function perTaskRows(names: readonly string[], metrics: Record<string, SystemMetricsFile>): TaskRow[] {
  const first = names[0] === undefined ? [] : metrics[names[0]]!.collapse.tasks;
  return first.map((t) => ({
    task: t.task,
    chance: t.chance,
    majority: t.majority,
    majorityAnswer: t.majorityAnswer,
    systems: Object.fromEntries(
      names.map((s) => {
        const m = metrics[s]!;
        const views = Object.entries(m.views).map(([o, v]) => [o, taskFigures(v.collapse, t.task)]);
        return [s, { ...taskFigures(m.collapse, t.task), views: Object.fromEntries(views) }];
      }),
    ),
  }));
}

/** A few items with the most disagreement under the first system, shown side by side. */
function worstExamples(
  names: readonly string[],
  responses: Record<string, ParaphraseGroup[]>,
  firstMetrics: SystemMetricsFile,
): Example[] {
  const first = names[0]!;
  const examples: Example[] = [];
  const byCr = [...firstMetrics.items].sort((x, y) => (x.cr ?? 1) - (y.cr ?? 1));
  const pick = new Set(byCr.slice(0, 6).map((it) => it.id));
  for (const g of responses[first]!.filter((x) => pick.has(x.id))) {
    examples.push({
      id: g.id,
      ...(g.task === undefined ? {} : { task: g.task }),
      input: g.input,
      references: g.references,
      variants: g.variants.map((v, vi) => ({
        text: v.text,
        origin: v.origin,
        responses: Object.fromEntries(
          names.map((s) => [s, responses[s]!.find((x) => x.id === g.id)?.variants[vi]?.response ?? ""]),
        ),
      })),
    });
  }
  return examples;
}

/** The training stages' metric curves, where the run has them. */
function trainingCurves(runDir: string): ReportData["curves"] {
  const curves: ReportData["curves"] = {};
  for (const stage of ["sft", "sft_ia", "cat"]) {
    const file = join(runDir, stage, "metrics.jsonl");
    if (existsSync(file)) curves[stage] = readMetrics(file) as ReportData["curves"][string];
  }
  return curves;
}

/** The method's choices this run made, in words, for the report's header. */
function choicesOf(config: Record<string, unknown>, resamples: number): ReportData["choices"] {
  const sample = config.sample as Record<string, unknown> | undefined;
  const augment = config.augment as Record<string, unknown> | undefined;
  return {
    "sim() inside CR": "ROUGE-L F1 between two responses",
    "CR aggregation": "macro over items, unordered pairs",
    accuracy: "normalised exact match (SuperNI normalize_answer), max over references",
    paraphrases: `${augment?.n} per instruction from ${augment?.source}, filtered (near-duplicates, lost constraints, length)${augment?.rows === "one" ? "; SFT(IA) trains each item under one of its wordings (as many rows as SFT)" : ""}`,
    candidates: `k = ${sample?.k}, temperature ${sample?.temperature}, top-p ${sample?.top_p}, seed ${sample?.seed}`,
    "self-reward": (config.reward as Record<string, unknown> | undefined)?.method,
    // A run recorded before the verification examples had none.
    "judge training": `${(config.judge_data as Record<string, unknown> | undefined)?.examples_per_item ?? 0} verification examples per training item in stage 1 (Yes/No by exact match to its references)`,
    pairs: config.pairs,
    "CAT loss":
      config.cat === undefined
        ? null
        : {
            loss: (config.cat as Record<string, unknown>).loss,
            beta: (config.cat as Record<string, unknown>).beta,
            sft_weight: (config.cat as Record<string, unknown>).sft_weight,
          },
    "reference model": "the stage-1 model, frozen; log-probs precomputed and cached",
    intervals: `percentile bootstrap over items, ${resamples} resamples, 95%`,
  };
}
