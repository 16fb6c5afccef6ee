// The SFT (negative log-likelihood) term: mean over all completion tokens in the batch, as TRL's
// rpo_alpha / "sft" loss and LLaMA-Factory's pref_ftx compute it.
import type { Tensor } from "../../engine/index.js";

/** tokenLogps, mask: (B, T). Returns a scalar. */
export function sftLoss(tokenLogps: Tensor, mask: Tensor): Tensor {
  return tokenLogps.mul(mask).sum().neg().div(mask.sum().clamp(1));
}
