// The SFT (negative log-likelihood) term: mean over all completion tokens in the batch, as TRL's
// rpo_alpha / "sft" loss and LLaMA-Factory's pref_ftx compute it.
import type { Tensor } from "../../engine/index.js";

/**
 * tokenLogps, mask: (B, T). Returns a scalar: the masked NLL summed, over `tokenCount` (default the
 * mask's; a data-parallel rank passes the whole micro-batch's, so the ranks' terms sum to its mean).
 */
export function sftLoss(tokenLogps: Tensor, mask: Tensor, tokenCount?: number): Tensor {
  const nll = tokenLogps.mul(mask).sum().neg();
  return tokenCount === undefined ? nll.div(mask.sum().clamp(1)) : nll.div(Math.max(1, tokenCount));
}
