// The ranking loss of RRHF (Yuan et al. 2023) over k responses per prompt: every response the reward
// ranks higher must have a higher length-normalised log-probability,
//   L_rank = Σ_{i,j: r_i < r_j} max(0, p_i − p_j),   p = mean token log-probability under the policy.
import { type Tensor, tidy } from "../../engine/index.js";

/**
 * normLogps (B, k): length-normalised policy log-probabilities; rewards (B, k): the rewards that rank
 * them (no gradient). Returns the per-prompt losses (B).
 */
export function rankingLoss(normLogps: Tensor, rewards: Tensor): Tensor {
  // diff[b, i, j] = p_i − p_j, counted where r_i < r_j.
  const diff = normLogps.unsqueeze(2).sub(normLogps.unsqueeze(1));
  const worse = tidy(() => rewards.unsqueeze(2).lt(rewards.unsqueeze(1)).to(normLogps.dtype));
  return diff.relu().mul(worse).sum([1, 2]);
}
