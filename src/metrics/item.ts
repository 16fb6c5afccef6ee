// Everything calign measures about one paraphrase group: the pairwise similarity sums behind CR (and
// behind CR on correct answers, when there are references), the quality summary over variants (when
// there are references) and POSIX (when responses can be scored).
import type { ParaphraseGroup } from "../data/group.js";
import { itemConsistency, pairSums } from "./consistency.js";
import { type PairScorer, posixItem } from "./posix.js";
import type { Quality } from "./quality.js";
import { type QualitySummary, summarizeQuality } from "./robustness.js";
import type { Similarity } from "./similarity.js";

export interface ItemResult {
  id: string;
  /** Number of variants (= responses). */
  variants: number;
  /** Sum of sim over the n(n-1)/2 unordered response pairs. */
  simSum: number;
  pairs: number;
  /**
   * Sum of sim(y_i, y_j) * q_i * q_j over the unordered pairs, q the quality of each response: with
   * exact-match quality, the similarity summed over pairs whose two responses are both correct (CR on
   * correct answers). Null when the item has no references.
   */
  correctSimSum: number | null;
  /** The item's CR (null with one variant). */
  consistency: number | null;
  /** Null when the item has no references. */
  quality: QualitySummary | null;
  /** Null when the responses were not scored. */
  posix: number | null;
}

export interface ItemOptions {
  similarity: Similarity;
  quality: Quality;
  /** Scores response j under variant i, when a scoring backend or recorded log-probs are available. */
  scorer?: (group: ParaphraseGroup) => PairScorer | null;
}

/** Responses of a group's variants; every variant must have one. */
export function responsesOf(group: ParaphraseGroup): string[] {
  return group.variants.map((v, i) => {
    if (v.response === undefined) throw new RangeError(`group ${group.id}: variant ${i} has no response`);
    return v.response;
  });
}

/**
 * One paraphrase group's figures: CR over every unordered pair of its responses under
 * `options.similarity`, and, when it has references, each response's quality, the group's
 * worst/best/mean and the pair sum behind CR on correct answers.
 */
export async function evaluateItem(group: ParaphraseGroup, options: ItemOptions): Promise<ItemResult> {
  const responses = responsesOf(group);
  const scores =
    group.references.length > 0 ? responses.map((r) => options.quality(group.references, r)) : null;
  const sums = await pairSums(responses, options.similarity, scores ?? undefined);
  const scorer = options.scorer?.(group) ?? null;
  return {
    id: group.id,
    variants: responses.length,
    simSum: sums.simSum,
    pairs: sums.pairs,
    correctSimSum: scores === null ? null : sums.weightedSimSum,
    consistency: itemConsistency(sums),
    quality:
      scores === null
        ? null
        : summarizeQuality(
            scores,
            group.variants.map((v) => v.origin),
          ),
    posix: scorer === null ? null : await posixItem(responses.length, scorer),
  };
}

/** A scorer reading the log-probs recorded in the group (variant i's `logprobs[j]`, `responseTokens`). */
export function recordedScorer(group: ParaphraseGroup): PairScorer | null {
  const v = group.variants;
  if (!v.every((x) => x.logprobs !== undefined && x.responseTokens !== undefined)) return null;
  return (i, j) => ({ logprob: v[i]!.logprobs![j]!, tokens: v[j]!.responseTokens! });
}

/** Evaluates groups one at a time (the groups themselves are streamed, only the results are kept). */
export async function evaluateItems(
  groups: AsyncIterable<ParaphraseGroup> | Iterable<ParaphraseGroup>,
  options: ItemOptions,
): Promise<ItemResult[]> {
  const out: ItemResult[] = [];
  for await (const group of groups) out.push(await evaluateItem(group, options));
  return out;
}
