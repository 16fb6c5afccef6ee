// Neural-network functions (as torch.nn.functional): thin calls into libtorch. Where libtorch 1.13 has
// no fused kernel (RMSNorm, rotary embedding, grouped-query attention) the addon composes one from ATen
// ops, so each is one call into native code rather than 6-11 (what a small model's decode step costs).
import { noteDraw } from "./checkpoint.js";
import { native } from "./native.js";
import { type Generator, Tensor } from "./tensor.js";

/** x @ weightᵀ + bias, with weight shaped (out, in) as nn.Linear stores it (one row of x: BLAS gemv). */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return new Tensor(native.linear(x.handle, weight.handle, bias?.handle ?? null));
}

/** Rows of weight (V, D) picked by integer ids of any shape: (..., D). */
export function embedding(weight: Tensor, ids: Tensor): Tensor {
  return new Tensor(native.embedding(weight.handle, ids.handle));
}

export function layerNorm(
  x: Tensor,
  normalizedShape: number[],
  weight: Tensor | null,
  bias: Tensor | null,
  eps = 1e-5,
): Tensor {
  return new Tensor(
    native.layerNorm(x.handle, normalizedShape, weight?.handle ?? null, bias?.handle ?? null, eps),
  );
}

/** RMSNorm as Llama defines it: x / sqrt(mean(x²) + eps) * weight, computed in float32. */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  return new Tensor(native.rmsNorm(x.handle, weight.handle, eps));
}

/** SwiGLU's activation, silu(gate) · up, as one op (Llama's MLP: down(silu(gate(x)) · up(x))). */
export function swiGlu(gate: Tensor, up: Tensor): Tensor {
  return new Tensor(native.swiGlu(gate.handle, up.handle));
}

/**
 * Writes x into `buffer` (in place) right after its first `length` entries along `dim`, and returns the
 * view of those entries plus x's: a KV cache's append as one op. Under noGrad.
 */
export function appendInPlace(buffer: Tensor, dim: number, length: number, x: Tensor): Tensor {
  return new Tensor(native.appendInPlace(buffer.handle, dim, length, x.handle));
}

/** Rotary position embedding in transformers' rotate-half layout: x·cos + rotate_half(x)·sin. */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  return new Tensor(native.applyRotary(x.handle, cos.handle, sin.handle));
}

/**
 * Attention with query heads grouped by the key/value head they share, keys and values never repeated:
 * q (B, nh, T, hd), k and v (B, nkv, S, hd) with nkv dividing nh (query head h reads key/value head
 * h / (nh / nkv)), bias additive in the grouped layout (B·nkv or 1, (nh / nkv)·T, S) or null, scores
 * scaled by `scale` → (B, nh, T, hd). For a libtorch without a fused kernel (1.13).
 */
export function groupedAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  bias: Tensor | null,
  scale: number,
): Tensor {
  return new Tensor(native.groupedAttention(q.handle, k.handle, v.handle, bias?.handle ?? null, scale));
}

export interface CrossEntropyOptions {
  /** Targets equal to this are ignored (PyTorch's default -100). */
  ignoreIndex?: number;
  reduction?: "mean" | "sum" | "none";
  labelSmoothing?: number;
}

/** Cross-entropy of logits (N, C) against class ids (N); float32 for half logits. */
export function crossEntropy(logits: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  return new Tensor(
    native.crossEntropy(
      logits.handle,
      target.handle,
      opts.ignoreIndex ?? -100,
      opts.reduction ?? "mean",
      opts.labelSmoothing ?? 0,
    ),
  );
}

/** Inverted dropout; identity when not training or p = 0. */
export function dropout(x: Tensor, p: number, training: boolean, gen: Generator | null = null): Tensor {
  if (!training || p === 0) return x;
  noteDraw(gen);
  return new Tensor(native.dropout(x.handle, p, gen?.handle ?? null));
}

/** n draws per row from the categorical distributions in probs (rows need not be normalised). */
export function multinomial(
  probs: Tensor,
  n: number,
  replacement = false,
  gen: Generator | null = null,
): Tensor {
  return new Tensor(native.multinomial(probs.handle, n, replacement, gen?.handle ?? null));
}

export interface AttentionOptions {
  /** Added to the scores, broadcastable to (B, nh, T, S), in q's dtype; null for none. */
  mask?: Tensor | null;
  /** Each query sees keys at or before its own position (T = S only). */
  causal?: boolean;
  /** Multiplies q·k (default 1/sqrt(head dim)). */
  scale?: number;
}

/**
 * libtorch's fused scaled_dot_product_attention: q (B, nh, T, hd), k and v (B, nkv, S, hd) with nkv
 * dividing nh (query head h reads key/value head h / (nh / nkv)) → (B, nh, T, hd). Only where the
 * addon's libtorch has it (engineInfo().fusedAttention); callers keep their own path for the others.
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  opts: AttentionOptions = {},
): Tensor {
  const sdpa = native.scaledDotProductAttention;
  if (sdpa === undefined)
    throw new Error(
      `scaledDotProductAttention: this libtorch (${native.info().torchVersion}) has none (2.1 or later does)`,
    );
  const scale = opts.scale ?? 1 / Math.sqrt(q.size(-1));
  return new Tensor(
    sdpa(q.handle, k.handle, v.handle, opts.mask?.handle ?? null, opts.causal ?? false, scale),
  );
}
