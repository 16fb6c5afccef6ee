// Stage `pairs`: preference pairs from self-rewarded candidates (method.md): the best against the worst
// candidate of each prompt, dropped when their reward gap is below a minimum (a tie teaches nothing);
// optionally every pair above the gap; or, since an item's wordings ask the same thing, each wording's
// worst candidate against the best candidate of any of the item's wordings (`best-of-item`), which also
// pairs a wording whose candidates all agree with each other but not with the other wordings. An empty
// candidate enters no pair (the preference trainer refuses an empty response, chosen or rejected).
// Output is TRL's preference format.
import { type AnswerOf, wholeResponse } from "../metrics/index.js";
import { type PairChecker, pairChecker } from "./pair-checker.js";
import type { CandidateSet } from "./sample.js";

export interface PairOptions {
  mode: "best-worst" | "all" | "best-of-item";
  minGap: number;
}

export interface PreferenceRecord {
  prompt: string;
  chosen: string;
  rejected: string;
  /** Where it came from, for inspection (TRL ignores extra fields). */
  id: string;
  variant: number;
  gap: number;
}

export interface PairSummary {
  sets: number;
  pairs: number;
  /** Sets that gave no pair: all rewards within minGap, or one distinct non-empty candidate. */
  droppedSets: number;
  meanGap: number;
  /** The pairs against the checker, where their items have references (pair-checker.ts); else null. */
  checker: PairChecker | null;
}

/**
 * Preference pairs from rewarded candidate sets: per set, best vs worst (`best-worst`), every higher- vs
 * lower-rewarded pair (`all`) or the best of the item's sets vs the set's worst (`best-of-item`),
 * keeping pairs of distinct texts whose reward gap is at least `minGap`; the summary counts the pairs,
 * the sets that gave none and the mean gap, and holds the pairs' answers (`answerOf` their responses)
 * against the checker where `references` (by item id) has some.
 */
export function buildPairs(
  sets: readonly CandidateSet[],
  opts: PairOptions,
  references: ReadonlyMap<string, readonly string[]> = new Map(),
  answerOf: AnswerOf = wholeResponse,
): { pairs: PreferenceRecord[]; summary: PairSummary } {
  const pairs: PreferenceRecord[] = [];
  let dropped = 0;
  const rankedSets = sets.map(rankCandidates);
  const itemBest = opts.mode === "best-of-item" ? bestPerItem(sets, rankedSets) : new Map<string, Ranked>();
  for (const [s, set] of sets.entries()) {
    const ranked = rankedSets[s] as Ranked[];
    const before = pairs.length;
    const add = (hi: Ranked, lo: Ranked) => {
      if (hi.r - lo.r >= opts.minGap && hi.text !== lo.text)
        pairs.push({
          prompt: set.prompt,
          chosen: hi.text,
          rejected: lo.text,
          id: set.id,
          variant: set.variant,
          gap: hi.r - lo.r,
        });
    };
    if (opts.mode === "best-worst" || opts.mode === "best-of-item") {
      const best = opts.mode === "best-worst" ? ranked[0] : itemBest.get(set.id);
      const worst = ranked[ranked.length - 1];
      if (best !== undefined && worst !== undefined) add(best, worst);
    } else {
      for (let i = 0; i < ranked.length; i++)
        for (let j = i + 1; j < ranked.length; j++) add(ranked[i]!, ranked[j]!);
    }
    if (pairs.length === before) dropped++;
  }
  const meanGap = pairs.reduce((a, p) => a + p.gap, 0) / Math.max(1, pairs.length);
  const checker = pairChecker(pairs, references, answerOf);
  return {
    pairs,
    summary: { sets: sets.length, pairs: pairs.length, droppedSets: dropped, meanGap, checker },
  };
}

interface Ranked {
  text: string;
  r: number;
}

/** Each item's best candidate over all its sets; on a tie, the first in file order. */
function bestPerItem(sets: readonly CandidateSet[], ranked: readonly Ranked[][]): Map<string, Ranked> {
  const best = new Map<string, Ranked>();
  for (const [i, set] of sets.entries()) {
    const top = ranked[i]?.[0];
    const held = best.get(set.id);
    if (top !== undefined && (held === undefined || top.r > held.r)) best.set(set.id, top);
  }
  return best;
}

/** A set's non-empty candidates with finite rewards, highest reward first (stable on ties). */
function rankCandidates(set: CandidateSet): Ranked[] {
  const rewards = set.rewards;
  if (rewards === undefined)
    throw new Error(`item ${set.id} variant ${set.variant}: no rewards (run the reward stage first)`);
  return set.candidates
    .map((text, i) => ({ text, r: rewards[i] as number }))
    .filter((c) => Number.isFinite(c.r) && c.text !== "")
    .sort((a, b) => b.r - a.r);
}
