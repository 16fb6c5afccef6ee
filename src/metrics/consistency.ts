// The consistency rate of Zhao et al. (2024) for one item: the mean similarity over unordered pairs of its
// responses. The dataset CR (macro over items, or micro over pooled pairs) is in figures.ts.
import type { Similarity } from "./similarity.js";

export interface PairSums {
  /** Sum of sim(y_i, y_j) over i < j. */
  simSum: number;
  /** n(n - 1) / 2 for n responses. */
  pairs: number;
}

/** Pairwise similarity sums of one item's responses; each value is checked to lie in [0, 1]. */
export async function pairSums(responses: readonly string[], sim: Similarity): Promise<PairSums> {
  let simSum = 0;
  let pairs = 0;
  for (let i = 0; i < responses.length; i++) {
    for (let j = i + 1; j < responses.length; j++) {
      const s = await sim(responses[i]!, responses[j]!);
      if (!(s >= 0 && s <= 1)) throw new RangeError(`similarity returned ${s}; expected a value in [0, 1]`);
      simSum += s;
      pairs++;
    }
  }
  return { simSum, pairs };
}

/** CR of one item (null with fewer than two responses). */
export function itemConsistency(sums: PairSums): number | null {
  return sums.pairs === 0 ? null : sums.simSum / sums.pairs;
}
