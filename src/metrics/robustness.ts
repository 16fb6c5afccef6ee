// Per-item robustness views over the quality of each variant's response against the references:
// worst / best / mean / std and the worst-best gap (RobustAlpacaEval, Cao et al. 2024), PSS (ProSA,
// Zhuo et al. 2024: mean absolute pairwise quality difference) and the two sides of PDR (PromptBench,
// Zhu et al. 2023: relative drop from the original instruction to its variants).
import { ORIGINAL } from "../data/group.js";
import { mean, std } from "./stats.js";

export interface QualitySummary {
  worst: number;
  best: number;
  mean: number;
  /** Population standard deviation over the variants. */
  std: number;
  /** best - worst. */
  gap: number;
  /** Mean |q_i - q_j| over unordered pairs; null with one variant. */
  pss: number | null;
  /** Quality of the original instruction's response; null without an original variant. */
  original: number | null;
  /** Mean quality of the other variants' responses; null without any. */
  paraphraseMean: number | null;
}

/** PSS of one item: mean absolute quality difference over unordered pairs of variants. */
export function promptSensitivity(scores: readonly number[]): number | null {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = i + 1; j < scores.length; j++) {
      sum += Math.abs(scores[i]! - scores[j]!);
      pairs++;
    }
  }
  return pairs === 0 ? null : sum / pairs;
}

/** Summary of one item's per-variant quality scores; origins[i] is the origin of variant i. */
export function summarizeQuality(scores: readonly number[], origins: readonly string[]): QualitySummary {
  const worst = Math.min(...scores);
  const best = Math.max(...scores);
  const originalIndex = origins.indexOf(ORIGINAL);
  const others = scores.filter((_, i) => i !== originalIndex);
  return {
    worst,
    best,
    mean: mean(scores),
    std: std(scores),
    gap: best - worst,
    pss: promptSensitivity(scores),
    original: originalIndex === -1 ? null : scores[originalIndex]!,
    paraphraseMean: originalIndex === -1 || others.length === 0 ? null : mean(others),
  };
}
