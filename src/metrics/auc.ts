// The area under the ROC curve of scores against binary labels, computed from ranks (the Mann-Whitney U
// statistic over n_pos · n_neg): the probability that a random positive scores above a random negative,
// a tie counting 1/2. It equals scikit-learn's roc_auc_score, which integrates the same ROC curve.

/** AUC of `scores` against `labels` (true = positive); null when either class is empty. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | null {
  if (scores.length !== labels.length)
    throw new RangeError(`rocAuc: ${scores.length} scores but ${labels.length} labels`);
  const order = scores.map((s, i) => ({ s, positive: labels[i] as boolean })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSum = 0;
  // Tied scores share the mean of the ranks they span (1-based), which counts each tie as 1/2.
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (order[k]!.positive) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
