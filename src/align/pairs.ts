// Stage `pairs`: preference pairs from self-rewarded candidates (method.md): the best against the worst
// candidate of each prompt, dropped when their reward gap is below a minimum (a tie teaches nothing);
// optionally every pair above the gap. An empty candidate enters no pair (the preference trainer refuses
// an empty response, chosen or rejected). Output is TRL's preference format.
import type { CandidateSet } from "./sample.js";

export interface PairOptions {
  mode: "best-worst" | "all";
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
}

/**
 * Preference pairs from rewarded candidate sets: per set, best vs worst (`best-worst`) or every higher- vs
 * lower-rewarded pair (`all`), keeping pairs of distinct texts whose reward gap is at least `minGap`; the
 * summary counts the pairs, the sets that gave none and the mean gap.
 */
export function buildPairs(
  sets: readonly CandidateSet[],
  opts: PairOptions,
): { pairs: PreferenceRecord[]; summary: PairSummary } {
  const pairs: PreferenceRecord[] = [];
  let dropped = 0;
  for (const set of sets) {
    const rewards = set.rewards;
    if (rewards === undefined)
      throw new Error(`item ${set.id} variant ${set.variant}: no rewards (run the reward stage first)`);
    const ranked = set.candidates
      .map((text, i) => ({ text, r: rewards[i] as number }))
      .filter((c) => Number.isFinite(c.r) && c.text !== "");
    ranked.sort((a, b) => b.r - a.r);
    const before = pairs.length;
    const add = (hi: { text: string; r: number }, lo: { text: string; r: number }) => {
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
    if (opts.mode === "best-worst") {
      const best = ranked[0];
      const worst = ranked[ranked.length - 1];
      if (best !== undefined && worst !== undefined) add(best, worst);
    } else {
      for (let i = 0; i < ranked.length; i++)
        for (let j = i + 1; j < ranked.length; j++) add(ranked[i]!, ranked[j]!);
    }
    if (pairs.length === before) dropped++;
  }
  const meanGap = pairs.reduce((a, p) => a + p.gap, 0) / Math.max(1, pairs.length);
  return { pairs, summary: { sets: sets.length, pairs: pairs.length, droppedSets: dropped, meanGap } };
}
