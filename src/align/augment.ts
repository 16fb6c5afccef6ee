// Stage `augment`: n paraphrases per instruction (method.md: 10 by default), filtered, kept beside the
// original in each group. The summary counts what every filter removed.
import type { ParaphraseGroup } from "../data/index.js";
import { ORIGINAL } from "../data/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
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
  /** Instructions that got no paraphrase at all: their groups train on their original wording alone. */
  unparaphrased: string[];
}

/**
 * What a user must hear about an augmentation: instructions left without any paraphrase, whose items
 * SFT(IA) then trains exactly as plain SFT (e.g. a wording whose every paraphrase the filters rejected).
 */
export function augmentWarnings(summary: AugmentSummary): string[] {
  const none = summary.unparaphrased;
  if (none.length === 0) return [];
  const shown = none.slice(0, 3).map((i) => JSON.stringify(i));
  return [
    `${none.length} of ${summary.instructions} instructions got no paraphrase, so their items train on the original wording alone (the summary's rejected counts say why): ${shown.join(", ")}${none.length > 3 ? ", …" : ""}`,
  ];
}

/** Groups with the same task and instruction share its paraphrases. */
export const instructionKey = (g: ParaphraseGroup) => `${g.task ?? ""}\u0000${g.instruction}`;

/**
 * Paraphrases each distinct instruction once and attaches the kept ones to every group using it. Given a
 * process group, the ranks share the instructions (each asks the source for its share) and every rank
 * ends with the whole result.
 */
export async function augmentGroups(
  groups: readonly ParaphraseGroup[],
  source: ParaphraseSource,
  opts: AugmentOptions,
  group?: ProcessGroup,
): Promise<{ groups: ParaphraseGroup[]; summary: AugmentSummary }> {
  // Each distinct instruction, in order of first use, with the group that first uses it.
  const firsts = new Map<string, ParaphraseGroup>();
  for (const g of groups) {
    if (!firsts.has(instructionKey(g))) firsts.set(instructionKey(g), g);
  }
  const asked = [...firsts.values()];
  const mine: [number, string[]][] = [];
  for (const [j, g] of asked.entries()) {
    if (!ownsBatch(group, j)) continue;
    const count = Math.ceil(opts.n * (opts.oversample ?? 2));
    mine.push([j, await source(g.instruction, count, opts.seed + j, g.task)]);
  }
  const candidates = group === undefined ? new Map(mine) : await gatherResults(group, mine);
  const summary: AugmentSummary = {
    groups: groups.length,
    instructions: asked.length,
    candidates: 0,
    kept: 0,
    rejected: { empty: 0, near_duplicate: 0, lost_constraint: 0, length_outlier: 0, held_out: 0 },
    short: 0,
    unparaphrased: [],
  };
  const keptOf = new Map<string, string[]>();
  for (const [j, [key, g]] of [...firsts].entries()) {
    const found = candidates.get(j) ?? [];
    const existing = g.variants.map((v) => v.text);
    const r = filterParaphrases(
      g.instruction,
      found,
      opts.filters ?? DEFAULT_FILTERS,
      existing,
      opts.heldOut,
    );
    const kept = r.kept.slice(0, opts.n);
    summary.candidates += found.length;
    summary.kept += kept.length;
    for (const [k, v] of Object.entries(r.rejected)) summary.rejected[k as Rejection] += v;
    if (kept.length < opts.n) summary.short++;
    if (kept.length === 0) summary.unparaphrased.push(g.instruction);
    keptOf.set(key, kept);
  }
  const out = groups.map((g) => {
    const kept = keptOf.get(instructionKey(g)) ?? [];
    // The group keeps every wording it had (the original first) and gains the paraphrases.
    const variants = g.variants.some((v) => v.origin === ORIGINAL)
      ? g.variants
      : [{ text: g.instruction, origin: ORIGINAL }, ...g.variants];
    const attached = opts.perItem
      ? pickDistinct(createRng(hashOf(g.id) ^ opts.seed), kept, Math.min(opts.perItem, kept.length))
      : kept;
    return { ...g, variants: [...variants, ...attached.map((text) => ({ text, origin: opts.origin }))] };
  });
  return { groups: out, summary };
}
