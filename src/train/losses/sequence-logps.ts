// From per-token log-probabilities to one number per sequence: the sum over completion tokens (DPO's
// log π(y|x)), or its mean (length-normalised, as IPO and RRHF use).
import type { Tensor } from "../../engine/index.js";

/** Σ_t mask·logp over the last dim: (B, T) → (B). */
export function sumLogps(tokenLogps: Tensor, mask: Tensor): Tensor {
  return tokenLogps.mul(mask).sum(-1);
}

/** (Σ_t mask·logp) / Σ_t mask: (B, T) → (B). */
export function meanLogps(tokenLogps: Tensor, mask: Tensor): Tensor {
  return sumLogps(tokenLogps, mask).div(mask.sum(-1).clamp(1));
}
