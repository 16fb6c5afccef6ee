// Pairwise preference losses on sequence log-probabilities, as TRL's DPOTrainer defines them.
//   logits = (log π(yw|x) − log π(yl|x)) − (log πref(yw|x) − log πref(yl|x))
//   sigmoid (DPO, Rafailov et al. 2023; with label smoothing ε = conservative DPO, Mitchell 2023):
//       −(1−ε)·log σ(β·logits) − ε·log σ(−β·logits)
//   hinge (SLiC, Zhao et al. 2023):  max(0, 1 − β·logits)
//   ipo (Azar et al. 2023):          (logits − 1/(2β))², on length-normalised log-probabilities
import type { Tensor } from "../../engine/index.js";

export type PreferenceLossType = "sigmoid" | "hinge" | "ipo";

export interface PairLogps {
  /** Policy log-probabilities of the chosen / rejected completions, (B). */
  policyChosen: Tensor;
  policyRejected: Tensor;
  /** The frozen reference model's, (B). */
  refChosen: Tensor;
  refRejected: Tensor;
}

export interface PreferenceLossOptions {
  type: PreferenceLossType;
  /** β: the strength of the implicit KL constraint (TRL default 0.1). */
  beta: number;
  /** ε for conservative DPO: the assumed probability that a preference label is flipped (sigmoid only). */
  labelSmoothing?: number;
}

/** β·(log π − log πref) of each completion, (B), without gradient: TRL's rewards/chosen and rewards/rejected. */
export interface PreferenceRewards {
  chosenRewards: Tensor;
  rejectedRewards: Tensor;
}

export interface PreferenceLossResult extends PreferenceRewards {
  /** Per-pair losses, (B). */
  losses: Tensor;
}

export function implicitRewards(lp: PairLogps, beta: number): PreferenceRewards {
  return {
    chosenRewards: lp.policyChosen.sub(lp.refChosen).mul(beta).detach(),
    rejectedRewards: lp.policyRejected.sub(lp.refRejected).mul(beta).detach(),
  };
}

export function preferenceLoss(lp: PairLogps, opts: PreferenceLossOptions): PreferenceLossResult {
  const { beta } = opts;
  const logits = lp.policyChosen.sub(lp.policyRejected).sub(lp.refChosen.sub(lp.refRejected));
  let losses: Tensor;
  switch (opts.type) {
    case "sigmoid": {
      const eps = opts.labelSmoothing ?? 0;
      const scaled = logits.mul(beta);
      losses = scaled.logSigmoid().mul(-(1 - eps));
      if (eps > 0) losses = losses.sub(scaled.neg().logSigmoid().mul(eps));
      break;
    }
    case "hinge":
      losses = logits.mul(-beta).add(1).relu();
      break;
    case "ipo":
      losses = logits.sub(1 / (2 * beta)).square();
      break;
  }
  return { losses, ...implicitRewards(lp, beta) };
}
