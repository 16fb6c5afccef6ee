// Stage `augment`: n paraphrases per instruction (method.md: 10 by default), filtered, kept beside the
// original in each group. The summary counts what every filter removed.
import type { ParaphraseGroup } from "../data/index.js";
import { ORIGINAL } from "../data/index.js";
import { hashString as hashOf } from "../tasks/hash-string.js";
import { pickDistinct } from "../tasks/pick.js";
import { createRng } from "../util/random.js";
import { DEFAULT_FILTERS, type FilterOptions, filterParaphrases, type Rejection } from "./augment-filters.js";
import type { ParaphraseSource } from "./paraphrase-source.js";

export interface AugmentOptions {
  n: number;
  seed: number;
  /** The origin recorded on each paraphrase ("model", "rule", "pool"). */
  origin: string;
  filters?: FilterOptions;
  /** Candidates asked for per instruction, as a multiple of n, so filtering still leaves n. */
  oversample?: number;
  /** Evaluation wordings: paraphrases too close to any of them are dropped (counted as held_out). */
  heldOut?: readonly string[];
  /**
   * Paraphrases attached to each group, a seeded draw from the instruction's kept ones (0: all). With
   * many items sharing one instruction (a task family), every item then trains on a few of the n
   * wordings and the data grows by perItem, not n, per item.
   */
  perItem?: number;
}

export interface AugmentSummary {
  groups: number;
  /** Distinct instructions paraphrased (groups sharing an instruction share its paraphrases). */
  instructions: number;
  candidates: number;
  kept: number;
  rejected: Record<Rejection, number>;
  /** Instructions that ended with fewer than n paraphrases. */
  short: number;
}

/** Paraphrases each distinct instruction once and attaches the kept ones to every group using it. */
export async function augmentGroups(
  groups: readonly ParaphraseGroup[],
  source: ParaphraseSource,
  opts: AugmentOptions,
): Promise<{ groups: ParaphraseGroup[]; summary: AugmentSummary }> {
  const summary: AugmentSummary = {
    groups: groups.length,
    instructions: 0,
    candidates: 0,
    kept: 0,
    rejected: { empty: 0, near_duplicate: 0, lost_constraint: 0, length_outlier: 0, held_out: 0 },
    short: 0,
  };
  const done = new Map<string, string[]>();
  const out: ParaphraseGroup[] = [];
  for (const g of groups) {
    const key = `${g.task ?? ""}\u0000${g.instruction}`;
    let kept = done.get(key);
    if (kept === undefined) {
      const candidates = await source(
        g.instruction,
        Math.ceil(opts.n * (opts.oversample ?? 2)),
        opts.seed + done.size,
        g.task,
      );
      const existing = g.variants.map((v) => v.text);
      const r = filterParaphrases(
        g.instruction,
        candidates,
        opts.filters ?? DEFAULT_FILTERS,
        existing,
        opts.heldOut,
      );
      kept = r.kept.slice(0, opts.n);
      summary.instructions++;
      summary.candidates += candidates.length;
      summary.kept += kept.length;
      for (const [k, v] of Object.entries(r.rejected)) summary.rejected[k as Rejection] += v;
      if (kept.length < opts.n) summary.short++;
      done.set(key, kept);
    }
    // The group keeps every wording it had (the original first) and gains the paraphrases.
    const variants = g.variants.some((v) => v.origin === ORIGINAL)
      ? g.variants
      : [{ text: g.instruction, origin: ORIGINAL }, ...g.variants];
    const attached = opts.perItem
      ? pickDistinct(createRng(hashOf(g.id) ^ opts.seed), kept, Math.min(opts.perItem, kept.length))
      : kept;
    out.push({ ...g, variants: [...variants, ...attached.map((text) => ({ text, origin: opts.origin }))] });
  }
  return { groups: out, summary };
}
