// Scaled dot-product attention over heads, shared by every architecture (the engine has no fused
// kernel). Query heads are grouped by the key/value head they share (grouped-query attention), so
// keys and values are never repeated and each group's scores are one larger matrix product; the
// scale and the mask (additive, built once per forward pass) join that product in one baddbmm.
// Softmax runs in float32.
import { type DType, type Tensor, zeros } from "../engine/index.js";
import { MASKED } from "./attention-mask.js";
import type { Columns } from "./causal-lm.js";

/**
 * The additive score bias for every layer of one forward pass, from blocked (B, 1, T, S) or null:
 * MASKED where a query may not see a key, else 0, laid out as attend's grouped scores
 * (B·kvHeads, groups·T, S), or (1, groups·T, S) when no row has padding. null stays null.
 */
export function scoreBias(
  blocked: Tensor | null,
  kvHeads: number,
  groups: number,
  dtype: DType,
): Tensor | null {
  if (blocked === null) return null;
  const [Bm, , T, S] = blocked.shape as [number, number, number, number];
  const bias = zeros([Bm, 1, 1, T, S], { dtype, device: blocked.device }).maskedFill(
    blocked.view(Bm, 1, 1, T, S),
    MASKED,
  );
  const heads = Bm === 1 ? 1 : kvHeads;
  return bias.expand(Bm, heads, groups, T, S).reshape(Bm * heads, groups * T, S);
}

/** The bias rows of the query columns kept (ForwardOptions.columns) out of T; bias itself for null. */
export function biasColumns(
  bias: Tensor | null,
  groups: number,
  T: number,
  columns: Columns | null,
): Tensor | null {
  if (bias === null || columns === null) return bias;
  const [X, , S] = bias.shape as [number, number, number];
  return bias
    .view(X, groups, T, S)
    .narrow(2, columns.start, columns.length)
    .reshape(X, groups * columns.length, S);
}

/**
 * q (B, nh, T, hd), k and v (B, nkv, S, hd) with nkv dividing nh (query head h reads key/value head
 * h / (nh / nkv), as repeat_interleave would), bias from scoreBias or null → (B, T, nh·hd).
 * Scores are scaled by 1/sqrt(hd), times `extraScale` (GPT-2's scale_attn_by_inverse_layer_idx).
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, bias: Tensor | null, extraScale = 1): Tensor {
  const [B, nh, T, hd] = q.shape as [number, number, number, number];
  const [, nkv, S] = k.shape as [number, number, number, number];
  const groups = nh / nkv;
  const qg = q.reshape(B * nkv, groups * T, hd);
  const kt = k.reshape(B * nkv, S, hd).transpose(1, 2);
  const scale = extraScale / Math.sqrt(hd);
  const att = bias === null ? qg.bmm(kt).mul(scale) : bias.baddbmm(qg, kt, 1, scale); // (B·nkv, g·T, S)
  const probs = att.dtype === "float32" ? att.softmax(-1) : att.to("float32").softmax(-1).to(att.dtype);
  const y = probs.bmm(v.reshape(B * nkv, S, hd)); // (B·nkv, g·T, hd) = (B, nh, T, hd)
  return y
    .view(B, nh, T, hd)
    .transpose(1, 2)
    .reshape(B, T, nh * hd);
}
