// Stage `evaluate`: a model's greedy responses to every instruction variant of held-out items, then the
// paper's figures over them — accuracy (normalised exact match), ROUGE-L and the consistency rate, with
// bootstrap intervals — and paired comparisons between systems answering the same items.
import type { Backend } from "../backends/index.js";
import type { ParaphraseGroup } from "../data/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import {
  type BootstrapOptions,
  buildReport,
  evaluateItems,
  exactMatchQuality,
  type ItemResult,
  type MetricsReport,
  rougeLQuality,
  rougeLSimilarity,
} from "../metrics/index.js";
import { asPrompt, instancePrompt } from "./instance-prompt.js";

export interface RespondOptions {
  chat: boolean;
  maxTokens: number;
  batch: number;
  stop?: string[];
}

/** The groups with every variant's greedy response filled in; given a process group, the ranks share the batches. */
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
  for (let s = 0; s < jobs.length; s += opts.batch) {
    if (!ownsBatch(group, s / opts.batch)) continue;
    const batch = jobs.slice(s, s + opts.batch);
    const { samples } = await backend.generate({
      prompts: batch.map((j) => asPrompt(j.prompt, opts.chat)),
      temperature: 0,
      maxTokens: opts.maxTokens,
      ...(opts.stop ? { stop: opts.stop } : {}),
    });
    batch.forEach((_, i) => {
      mine.push([s + i, (samples[i]?.[0]?.text ?? "").trim()]);
    });
    onBatch?.(Math.min(s + opts.batch, jobs.length), jobs.length);
  }
  const responses = group === undefined ? new Map(mine) : await gatherResults(group, mine);
  for (const [k, j] of jobs.entries()) out[j.gi]!.variants[j.vi]!.response = responses.get(k) ?? "";
  return out;
}

export interface SystemEvaluation {
  /** Accuracy: quality = normalised exact match; CR with ROUGE-L similarity. */
  accuracy: MetricsReport;
  /** Quality = ROUGE-L F1 against the references. */
  rougeL: MetricsReport;
  items: { accuracy: ItemResult[]; rougeL: ItemResult[] };
}

/** One held-out item's figures: mean accuracy and mean ROUGE-L over its variants (null without references), its CR. */
export interface ItemFigures {
  id: string;
  accuracy: number | null;
  rougeL: number | null;
  cr: number | null;
}

/** `<system>.metrics.json`: both reports, each compared with the system before, and every item's figures. */
export interface SystemMetricsFile {
  accuracy: MetricsReport;
  rougeL: MetricsReport;
  /** In the order of the responses file (the report's per-task table and examples read them). */
  items: ItemFigures[];
}

export function metricsFile(r: SystemEvaluation): SystemMetricsFile {
  return {
    accuracy: r.accuracy,
    rougeL: r.rougeL,
    items: r.items.accuracy.map((a, i) => ({
      id: a.id,
      accuracy: a.quality?.mean ?? null,
      rougeL: r.items.rougeL[i]!.quality?.mean ?? null,
      cr: a.consistency,
    })),
  };
}

/**
 * One system's figures over its responses: accuracy (normalised exact match) and ROUGE-L quality, each
 * with CR (ROUGE-L similarity between responses), worst/best/mean, PSS/PDR and bootstrap intervals; with
 * `other`, the paired difference against that system on the same items.
 */
export async function evaluateSystem(
  name: string,
  responses: readonly ParaphraseGroup[],
  bootstrap: BootstrapOptions,
  other?: { name: string; items: SystemEvaluation["items"] },
): Promise<SystemEvaluation> {
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
    items: { accuracy: acc, rougeL: rl },
  };
}
