// Judge health: whether the self-reward can make pairs worth training on. A collapsed judge silently
// makes every pair noise, so the reward stage reports the spread of its rewards (std, the mean gap
// between a set's best and worst candidate), the share of candidate sets whose rewards all tie (no pair
// comes from them) and, where the candidates' items have references, how the judge agrees with the
// checker (the evaluation's normalised exact match): its verdicts at P(Yes) = 0.5 and the AUC of its
// scores; for the methods that read P(Yes), the share of candidates the judge accepts. judgeWarnings
// says in plain words when the judge is unhealthy.
import { rocAuc } from "../metrics/index.js";
import { std } from "../metrics/stats.js";
import type { RewardMethod } from "./reward.js";

/** The judge against the checker, over the candidates whose items have references. */
export interface CheckerAgreement {
  candidates: number;
  /** Fraction of them the checker accepts. */
  correct: number;
  /** Fraction whose judge verdict (P(Yes) >= 0.5) is the checker's (null: the method reads no P(Yes)). */
  agreement: number | null;
  /** AUC of P(Yes) (the reward, for methods without one) against the checker (null: one class only). */
  auc: number | null;
}

export interface JudgeHealth {
  method: RewardMethod;
  candidates: number;
  mean: number;
  std: number;
  /** Mean over candidate sets of their highest minus lowest reward (a best-worst pair's gap). */
  meanRange: number;
  /** Fraction of candidate sets whose rewards are all equal (no pair can come from them). */
  tieRate: number;
  /** Counts in 10 equal bins over [min, max] of the rewards. */
  histogram: { min: number; max: number; counts: number[] };
  /** Fraction of candidates the judge accepts, P(Yes) >= 0.5 (null: the method reads no P(Yes)). */
  accepted: number | null;
  checker: CheckerAgreement | null;
}

/** Below this AUC against the checker, the judge barely tells right answers from wrong ones. */
export const MIN_AUC = 0.6;
/** Above this tie rate, most candidate sets give no pair. */
export const MAX_TIE_RATE = 0.5;
/** A judge that accepts more than this fraction of candidates, or less than 1 minus it, separates nothing. */
export const MAX_ONE_VERDICT = 0.95;

/** The checker agreement of `scores` (probabilities: P(Yes)) with the checker's `verdicts`; null if none. */
export function checkerAgreement(
  scores: readonly number[],
  verdicts: readonly boolean[],
  probabilities: boolean,
): CheckerAgreement | null {
  if (scores.length === 0) return null;
  const agree = scores.filter((s, i) => s >= 0.5 === verdicts[i]).length;
  return {
    candidates: scores.length,
    correct: verdicts.filter(Boolean).length / verdicts.length,
    agreement: probabilities ? agree / scores.length : null,
    auc: rocAuc(scores, verdicts),
  };
}

/** What the judge said besides the rewards: its P(Yes) per candidate, its agreement with the checker. */
export interface JudgeReadings {
  pYes?: readonly (readonly number[])[] | null;
  checker?: CheckerAgreement | null;
}

export function judgeHealth(
  method: RewardMethod,
  rewards: readonly (readonly number[])[],
  { pYes = null, checker = null }: JudgeReadings = {},
): JudgeHealth {
  const verdicts = pYes?.flat() ?? [];
  const all = rewards.flat().filter(Number.isFinite);
  const sets = rewards.map((r) => r.filter(Number.isFinite)).filter((r) => r.length > 0);
  const ties = rewards.filter(
    (r) => r.length > 1 && r.every((x) => Math.abs(x - (r[0] as number)) < 1e-9),
  ).length;
  const min = Math.min(...all);
  const max = Math.max(...all);
  const counts = Array<number>(10).fill(0);
  for (const x of all) counts[max > min ? Math.min(9, Math.floor(((x - min) / (max - min)) * 10)) : 0]!++;
  return {
    method,
    candidates: all.length,
    mean: all.length === 0 ? 0 : all.reduce((a, b) => a + b, 0) / all.length,
    std: all.length === 0 ? 0 : std(all),
    meanRange: sets.reduce((a, r) => a + Math.max(...r) - Math.min(...r), 0) / Math.max(1, sets.length),
    tieRate: ties / Math.max(1, rewards.length),
    histogram: { min, max, counts },
    accepted: verdicts.length === 0 ? null : verdicts.filter((p) => p >= 0.5).length / verdicts.length,
    checker,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** What is wrong with the judge, in plain words (none: healthy, as far as these figures tell). */
export function judgeWarnings(h: JudgeHealth): string[] {
  const out: string[] = [];
  const auc = h.checker?.auc;
  if (auc !== null && auc !== undefined && auc < MIN_AUC)
    out.push(
      `the judge barely tells right answers from wrong ones: AUC ${auc.toFixed(2)} against the checker (0.5 is chance, below ${MIN_AUC} is unhealthy), so its pairs are mostly noise`,
    );
  const accepted = h.accepted;
  if (accepted !== null && accepted !== undefined && Math.max(accepted, 1 - accepted) > MAX_ONE_VERDICT)
    out.push(
      `the judge accepts ${pct(accepted)} of candidates (P("Yes") >= 0.5): its verdicts separate almost nothing, and method agreement's guard ${accepted > 0.5 ? "lets nearly every candidate through" : "leaves the pairs to P(Yes) alone"}`,
    );
  if (h.tieRate > MAX_TIE_RATE)
    out.push(
      `${pct(h.tieRate)} of candidate sets have all rewards equal, so no preference pair comes from them`,
    );
  return out;
}
