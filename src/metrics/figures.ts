// Every dataset-level figure calign reports, with its definition and source (the CLI's help is printed
// from this table). Each is a ratio of sums of per-item contributions, which makes the macro / micro
// distinction explicit and lets the bootstrap recompute any figure from resampled items.
import type { ItemResult } from "./item.js";

export interface Figure {
  key: string;
  title: string;
  definition: string;
  source: string;
  /** The item's [numerator, denominator]; null leaves the item out of this figure. */
  contribution(item: ItemResult): readonly [number, number] | null;
  /** Maps the ratio of summed contributions to the figure; identity when absent. */
  finish?: (ratio: number) => number;
}

const perItem = (value: (item: ItemResult) => number | null) => (item: ItemResult) => {
  const v = value(item);
  return v === null ? null : ([v, 1] as const);
};

export const FIGURES: readonly Figure[] = [
  {
    key: "cr_macro",
    title: "consistency rate (macro)",
    definition: "mean over items of the mean sim(y_i, y_j) over the item's unordered response pairs",
    source: "Zhao et al. 2024, Improving the Robustness of LLMs via Consistency Alignment (arXiv 2403.14221)",
    contribution: perItem((i) => i.consistency),
  },
  {
    key: "cr_micro",
    title: "consistency rate (micro)",
    definition:
      "sum of sim over all response pairs of all items / number of pairs (items with more variants weigh more)",
    source: "calign, pooled variant of Zhao et al. 2024's CR",
    contribution: (i) => (i.pairs === 0 ? null : [i.simSum, i.pairs]),
  },
  {
    key: "cr_correct",
    title: "consistency rate on correct answers (macro)",
    definition:
      "mean over items of the mean sim(y_i, y_j) * q_i * q_j over the item's unordered response pairs: with exact-match quality a pair counts only when both responses are correct, so a model that agrees with itself on wrong answers gains nothing; at most CR, equal to CR when every response is correct",
    source: "calign, CR of Zhao et al. 2024 restricted to correct answers",
    contribution: (i) => (i.pairs === 0 || i.correctSimSum === null ? null : [i.correctSimSum / i.pairs, 1]),
  },
  {
    key: "quality_mean",
    title: "mean quality",
    definition: "mean over items of the mean quality over the item's variants",
    source: "RobustAlpacaEval, Cao et al. 2024, On the Worst Prompt Performance of LLMs (arXiv 2406.10248)",
    contribution: perItem((i) => i.quality?.mean ?? null),
  },
  {
    key: "quality_worst",
    title: "worst-variant quality",
    definition: "mean over items of the lowest quality among the item's variants",
    source: "RobustAlpacaEval, Cao et al. 2024",
    contribution: perItem((i) => i.quality?.worst ?? null),
  },
  {
    key: "quality_best",
    title: "best-variant quality",
    definition: "mean over items of the highest quality among the item's variants",
    source: "RobustAlpacaEval, Cao et al. 2024",
    contribution: perItem((i) => i.quality?.best ?? null),
  },
  {
    key: "quality_std",
    title: "quality spread",
    definition: "mean over items of the population standard deviation of quality over the item's variants",
    source: "RobustAlpacaEval, Cao et al. 2024",
    contribution: perItem((i) => i.quality?.std ?? null),
  },
  {
    key: "quality_gap",
    title: "worst-best gap",
    definition: "mean over items of (best - worst) quality over the item's variants",
    source: "RobustAlpacaEval, Cao et al. 2024",
    contribution: perItem((i) => i.quality?.gap ?? null),
  },
  {
    key: "pss",
    title: "prompt sensitivity score (PSS)",
    definition: "mean over items of the mean |q_i - q_j| over unordered pairs of the item's variants",
    source:
      "ProSA, Zhuo et al. 2024, Assessing and Understanding the Prompt Sensitivity of LLMs (arXiv 2410.12405)",
    contribution: perItem((i) => i.quality?.pss ?? null),
  },
  {
    key: "pdr",
    title: "performance drop rate (PDR)",
    definition:
      "1 - (sum over items of the mean quality of the non-original variants) / (sum over items of the original variant's quality)",
    source: "PromptBench, Zhu et al. 2023, PromptRobust (arXiv 2306.04528)",
    contribution: (i) =>
      i.quality === null || i.quality.original === null || i.quality.paraphraseMean === null
        ? null
        : [i.quality.paraphraseMean, i.quality.original],
    finish: (ratio) => 1 - ratio,
  },
  {
    key: "posix",
    title: "prompt sensitivity index (POSIX)",
    definition:
      "mean over items of 1/(N(N-1)) sum_{i != j} |log P(y_j|x_i) - log P(y_j|x_j)| / tokens(y_j), N variants",
    source: "Chatterjee et al. 2024, POSIX: A Prompt Sensitivity Index for LLMs (arXiv 2410.02185), eq. 1",
    contribution: perItem((i) => i.posix),
  },
];
