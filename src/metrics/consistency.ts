// The consistency rate of Zhao et al. (2024) for one item: the mean similarity over unordered pairs of its
// responses. The dataset CR (macro over items, or micro over pooled pairs) is in figures.ts.
import type { Similarity } from "./similarity.js";

export interface PairSums {
  /** Sum of sim(y_i, y_j) over i < j. */
  simSum: number;
  /** n(n - 1) / 2 for n responses. */
  pairs: number;
  /** Sum of sim(y_i, y_j) * w_i * w_j over i < j, with the weights given (else equal to simSum). */
  weightedSimSum: number;
}

/**
 * Pairwise similarity sums of one item's responses; each value is checked to lie in [0, 1]. With
 * `weights` (one per response, in [0, 1]) each pair also counts weighted by both responses' weights:
 * with w_i = 1 for a correct response and 0 otherwise, that is the sum behind CR on correct answers.
 */
export async function pairSums(
  responses: readonly string[],
  sim: Similarity,
  weights?: readonly number[],
): Promise<PairSums> {
  if (weights !== undefined && weights.length !== responses.length)
    throw new RangeError(`${weights.length} weights for ${responses.length} responses`);
  const w = (i: number) => weights?.[i] ?? 1;
  let simSum = 0;
  let weightedSimSum = 0;
  let pairs = 0;
  for (let i = 0; i < responses.length; i++) {
    for (let j = i + 1; j < responses.length; j++) {
      const s = await sim(responses[i]!, responses[j]!);
      if (!(s >= 0 && s <= 1)) throw new RangeError(`similarity returned ${s}; expected a value in [0, 1]`);
      simSum += s;
      weightedSimSum += s * w(i) * w(j);
      pairs++;
    }
  }
  return { simSum, pairs, weightedSimSum };
}

/** CR of one item (null with fewer than two responses). */
export function itemConsistency(sums: Pick<PairSums, "simSum" | "pairs">): number | null {
  return sums.pairs === 0 ? null : sums.simSum / sums.pairs;
}
