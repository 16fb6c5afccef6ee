// Stage `evaluate`: a model's greedy responses to every instruction variant of held-out items, then the
// paper's figures over them — accuracy (normalised exact match), ROUGE-L and the consistency rate, with
// bootstrap intervals — the collapse diagnostics per task, and paired comparisons between systems
// answering the same items; over every variant, and per wording origin when the set mixes several.
import type { Backend } from "../backends/index.js";
import { originViews, type ParaphraseGroup } from "../data/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import {
  type BootstrapOptions,
  buildReport,
  type CollapseFigures,
  type CollapseFlag,
  type CollapseMacro,
  collapseFigures,
  evaluateItems,
  exactMatchQuality,
  type FigureReport,
  type ItemResult,
  type MetricsReport,
  rougeLQuality,
  rougeLSimilarity,
} from "../metrics/index.js";
import { suiteChance } from "../tasks/index.js";
import { asPrompt, instancePrompt } from "./instance-prompt.js";
import { lengthBatches } from "./length-batches.js";

export interface RespondOptions {
  chat: boolean;
  maxTokens: number;
  batch: number;
  stop?: string[];
}

/**
 * The groups with every variant's greedy response filled in, the prompts sent in batches of about the
 * same length (length-batches.ts); given a process group, the ranks share the batches.
 */
export async function respond(
  backend: Backend,
  groups: readonly ParaphraseGroup[],
  opts: RespondOptions,
  onBatch?: (done: number, total: number) => void,
  group?: ProcessGroup,
): Promise<ParaphraseGroup[]> {
  const jobs = groups.flatMap((g, gi) =>
    g.variants.map((v, vi) => ({ gi, vi, prompt: instancePrompt(v.text, g.input) })),
  );
  const out = groups.map((g) => ({ ...g, variants: g.variants.map((v) => ({ ...v })) }));
  const mine: [number, string][] = [];
  let done = 0;
  for (const [b, batch] of lengthBatches(
    jobs.map((j) => j.prompt.length),
    opts.batch,
  ).entries()) {
    done += batch.length;
    if (!ownsBatch(group, b)) continue;
    const { samples } = await backend.generate({
      prompts: batch.map((k) => asPrompt(jobs[k]!.prompt, opts.chat)),
      temperature: 0,
      maxTokens: opts.maxTokens,
      ...(opts.stop ? { stop: opts.stop } : {}),
    });
    batch.forEach((k, i) => {
      mine.push([k, (samples[i]?.[0]?.text ?? "").trim()]);
    });
    onBatch?.(done, jobs.length);
  }
  const responses = group === undefined ? new Map(mine) : await gatherResults(group, mine);
  for (const [k, j] of jobs.entries()) out[j.gi]!.variants[j.vi]!.response = responses.get(k) ?? "";
  return out;
}

/** The figures of one set of responses: a whole evaluation set, or one wording origin's view of it. */
export interface ViewEvaluation {
  /** Accuracy: quality = normalised exact match; CR with ROUGE-L similarity. */
  accuracy: MetricsReport;
  /** Quality = ROUGE-L F1 against the references. */
  rougeL: MetricsReport;
  /** Per task and macro: accuracy, majority and chance baselines, input sensitivity, CR, CR on correct answers. */
  collapse: CollapseFigures;
  items: { accuracy: ItemResult[]; rougeL: ItemResult[] };
}

export interface SystemEvaluation extends ViewEvaluation {
  /**
   * When the set mixes wording origins (seed wordings and held-out ones, say), the same figures per
   * origin, each over that origin's variants only (data/origin-views.ts); else empty.
   */
  views: Record<string, ViewEvaluation>;
}

/**
 * One held-out item's figures: mean accuracy and mean ROUGE-L over its variants (null without
 * references), its CR and its CR on correct answers (null without references or with one variant).
 */
export interface ItemFigures {
  id: string;
  accuracy: number | null;
  rougeL: number | null;
  cr: number | null;
  crCorrect: number | null;
}

/** One view's reports (each compared with the system before in the same view) and collapse diagnostics. */
export interface ViewMetrics {
  accuracy: MetricsReport;
  rougeL: MetricsReport;
  collapse: CollapseFigures;
}

/**
 * `<system>.metrics.json`: the figures over every variant of the set, the same per wording origin when
 * it mixes several (`views`, else {}), and every item's figures.
 */
export interface SystemMetricsFile extends ViewMetrics {
  views: Record<string, ViewMetrics>;
  /** In the order of the responses file (the report's examples read them). */
  items: ItemFigures[];
}

const viewMetrics = (v: ViewEvaluation): ViewMetrics => ({
  accuracy: v.accuracy,
  rougeL: v.rougeL,
  collapse: v.collapse,
});

export function metricsFile(r: SystemEvaluation): SystemMetricsFile {
  return {
    ...viewMetrics(r),
    views: Object.fromEntries(Object.entries(r.views).map(([o, v]) => [o, viewMetrics(v)])),
    items: r.items.accuracy.map((a, i) => ({
      id: a.id,
      accuracy: a.quality?.mean ?? null,
      rougeL: r.items.rougeL[i]!.quality?.mean ?? null,
      cr: a.consistency,
      crCorrect: a.pairs === 0 || a.correctSimSum === null ? null : a.correctSimSum / a.pairs,
    })),
  };
}

/** The headline figures of one view. */
export interface ViewSummary {
  accuracy: FigureReport;
  rougeL: FigureReport;
  /** With ROUGE-L similarity. */
  cr: FigureReport;
  /** CR on correct answers (exact match), with ROUGE-L similarity. */
  crCorrect: FigureReport;
  /** Macro over tasks: accuracy next to the majority and chance baselines, input sensitivity, CR. */
  collapse: CollapseMacro;
}

export function viewSummary(v: ViewMetrics): ViewSummary {
  return {
    accuracy: v.accuracy.figures.quality_mean!,
    rougeL: v.rougeL.figures.quality_mean!,
    cr: v.rougeL.figures.cr_macro!,
    crCorrect: v.accuracy.figures.cr_correct!,
    collapse: v.collapse.macro,
  };
}

/** What `calign evaluate` prints (and the pipeline's evaluate stage records), per system in order. */
export type EvaluationSummary = Record<
  string,
  ViewSummary & {
    /** Against the system before it; null for the first system or when nothing is flagged. */
    collapseFlag: CollapseFlag | null;
    /** Per wording origin, when the set mixes several; else {}. */
    views: Record<string, ViewSummary>;
  }
>;

/**
 * The figures of one set of responses: accuracy (normalised exact match) and ROUGE-L quality, each with
 * CR (ROUGE-L similarity between responses), CR on correct answers, worst/best/mean, PSS/PDR and
 * bootstrap intervals; the collapse diagnostics per task; with `other`, the paired difference against
 * that system's results on the same items.
 */
async function evaluateView(
  name: string,
  responses: readonly ParaphraseGroup[],
  bootstrap: BootstrapOptions,
  other?: { name: string; items: ViewEvaluation["items"] },
): Promise<ViewEvaluation> {
  const similarity = rougeLSimilarity();
  const acc = await evaluateItems(responses, { similarity, quality: exactMatchQuality });
  const rl = await evaluateItems(responses, { similarity, quality: rougeLQuality() });
  const settings = { sim: "rougeL" };
  return {
    accuracy: buildReport(
      name,
      acc,
      { ...settings, quality: "exact" },
      bootstrap,
      other && { file: other.name, items: other.items.accuracy },
    ),
    rougeL: buildReport(
      name,
      rl,
      { ...settings, quality: "rougeL" },
      bootstrap,
      other && { file: other.name, items: other.items.rougeL },
    ),
    collapse: collapseFigures(responses, acc, { chance: suiteChance(responses) }),
    items: { accuracy: acc, rougeL: rl },
  };
}

/**
 * One system's figures over its responses (see evaluateView), over every variant and, when the
 * wordings have several origins, per origin; with `other`, each compared with that system's, view by
 * view (a view the other system lacks goes uncompared).
 */
export async function evaluateSystem(
  name: string,
  responses: readonly ParaphraseGroup[],
  bootstrap: BootstrapOptions,
  other?: { name: string; evaluation: SystemEvaluation },
): Promise<SystemEvaluation> {
  const all = await evaluateView(
    name,
    responses,
    bootstrap,
    other && { name: other.name, ...other.evaluation },
  );
  const views: Record<string, ViewEvaluation> = {};
  for (const [origin, groups] of originViews(responses)) {
    const before = other?.evaluation.views[origin];
    views[origin] = await evaluateView(name, groups, bootstrap, before && { name: other!.name, ...before });
  }
  return { ...all, views };
}
