// Scaled dot-product attention over heads, shared by every architecture. Two paths, chosen once by the
// libtorch the addon is built on:
// - fused (libtorch >= 2.1): libtorch's scaled_dot_product_attention (flash / memory-efficient kernels
//   on a GPU), with is_causal and no mask tensor when the mask is exactly causal;
// - grouped (libtorch 1.13): F.groupedAttention, query heads grouped by the key/value head they share,
//   so keys and values are never repeated; the mask is laid out for its grouped scores.
// Either way the mask is additive, built once per forward pass, and softmax runs in the compute dtype.
import { type DType, engineInfo, F, type Tensor, zeros } from "../engine/index.js";
import { blockedKeys, maskedScore } from "./attention-mask.js";
import type { Columns } from "./causal-lm.js";

let fusedKernel: boolean | undefined;

/** Whether attend uses libtorch's fused kernel: the addon's libtorch has it. */
export function fusedAttention(): boolean {
  fusedKernel ??= engineInfo().fusedAttention;
  return fusedKernel;
}

/** The mask of one forward pass, laid out for the path in use. */
export interface ScoreBias {
  /**
   * Additive: maskedScore where a query may not see a key, else 0, or null when nothing is masked.
   * Fused path: (B or 1, 1, T, S). Grouped path: (B·kvHeads or 1, groups·T, S), attend's grouped scores.
   */
  bias: Tensor | null;
  /** Nothing but the future is masked and queries are keys (no padding, no cache): is_causal. */
  causal: boolean;
}

/**
 * The score mask for every layer of one forward pass of T new tokens on S - T cached ones, with mask
 * (B, S) 1 for real tokens and 0 for padding (null: no padding), on `device` in the compute dtype.
 */
export function scoreBias(
  mask: Tensor | null,
  T: number,
  S: number,
  kvHeads: number,
  groups: number,
  dtype: DType,
  device: string,
): ScoreBias {
  const causal = mask === null && T === S && T > 1;
  const additive = additiveBias(mask, T, S, dtype, device);
  if (additive === null || fusedAttention()) return { bias: additive, causal };
  return { bias: groupedBias(additive, kvHeads, groups), causal };
}

/** maskedScore where a query may not see a key, else 0: (B or 1, 1, T, S), or null when none is blocked. */
export function additiveBias(
  mask: Tensor | null,
  T: number,
  S: number,
  dtype: DType,
  device: string,
): Tensor | null {
  const blocked = blockedKeys(mask, T, S, device);
  if (blocked === null) return null;
  return zeros(blocked.shape, { dtype, device }).maskedFill(blocked, maskedScore(dtype));
}

/** An additive bias (Bm, 1, T, S) in the grouped path's layout (Bm·kvHeads or 1, groups·T, S). */
export function groupedBias(additive: Tensor, kvHeads: number, groups: number): Tensor {
  const [Bm, , T, S] = additive.shape as [number, number, number, number];
  const heads = Bm === 1 ? 1 : kvHeads;
  return additive
    .view(Bm, 1, 1, T, S)
    .expand(Bm, heads, groups, T, S)
    .reshape(Bm * heads, groups * T, S);
}

/** The bias rows of the query columns kept (ForwardOptions.columns) out of T; b itself for null. */
export function biasColumns(b: ScoreBias, groups: number, T: number, columns: Columns | null): ScoreBias {
  if (b.bias === null || columns === null) return b;
  if (fusedAttention()) return { ...b, bias: b.bias.narrow(2, columns.start, columns.length) };
  const [X, , S] = b.bias.shape as [number, number, number];
  const bias = b.bias
    .view(X, groups, T, S)
    .narrow(2, columns.start, columns.length)
    .reshape(X, groups * columns.length, S);
  return { ...b, bias };
}

/**
 * q (B, nh, T, hd), k and v (B, nkv, S, hd) with nkv dividing nh (query head h reads key/value head
 * h / (nh / nkv), as repeat_interleave would), b from scoreBias (after biasColumns) → (B, T, nh·hd).
 * Scores are scaled by 1/sqrt(hd), times `extraScale` (GPT-2's scale_attn_by_inverse_layer_idx).
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, b: ScoreBias, extraScale = 1): Tensor {
  const [B, nh, T, hd] = q.shape as [number, number, number, number];
  const scale = extraScale / Math.sqrt(hd);
  const y = fusedAttention() ? attendFused(q, k, v, b, scale) : F.groupedAttention(q, k, v, b.bias, scale);
  return y // (B, nh, T, hd)
    .transpose(1, 2)
    .reshape(B, T, nh * hd);
}

/** The fused path: is_causal with no mask tensor when b is exactly causal for these queries. */
export function attendFused(q: Tensor, k: Tensor, v: Tensor, b: ScoreBias, scale: number): Tensor {
  const causal = b.causal && q.size(2) === k.size(2);
  return F.scaledDotProductAttention(q, k, v, { mask: causal ? null : b.bias, causal, scale });
}
