// Scaled dot-product attention over heads, shared by every architecture (the engine has no fused
// kernel): scores, masked with a finite minimum, softmax in float32, weighted values.
import type { Tensor } from "../engine/index.js";
import { MASKED } from "./attention-mask.js";

/**
 * q (B, nh, T, hd), k and v (B, nh, S, hd), blocked (B, 1, T, S) or null → (B, T, nh·hd).
 * Scores are scaled by 1/sqrt(hd), times `extraScale` (GPT-2's scale_attn_by_inverse_layer_idx).
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, blocked: Tensor | null, extraScale = 1): Tensor {
  const [B, nh, T, hd] = q.shape as [number, number, number, number];
  let att = q.matmul(k.transpose(-2, -1)).mul(extraScale / Math.sqrt(hd)); // (B, nh, T, S)
  if (blocked !== null) att = att.maskedFill(blocked, MASKED);
  const probs = att.dtype === "float32" ? att.softmax(-1) : att.to("float32").softmax(-1).to(att.dtype);
  const y = probs.matmul(v); // (B, nh, T, hd)
  return y.transpose(1, 2).reshape(B, T, nh * hd);
}
