// Rotary position embeddings as transformers' Llama computes them: inverse frequencies (with the
// rope_scaling variants of config.json) and cos/sin tables for given positions, which F.applyRotary
// applies to queries and keys in HF's rotate-half layout (the one the GGUF loader permutes into).
import { cat, type Tensor, tensor } from "../engine/index.js";
import type { LlamaConfig } from "./llama-config.js";

type Scaling = Record<string, unknown>;

/** Inverse frequencies (headDim / 2) for a sequence of `seqLen` positions. */
export function ropeInvFreq(c: LlamaConfig, seqLen: number): Float32Array {
  const dim = c.head_dim;
  const scaling = c.rope_scaling ?? null;
  const type = scaling === null ? "default" : String(scaling.rope_type ?? scaling.type);
  let base = c.rope_theta;
  if (type === "dynamic" && scaling !== null && seqLen > c.max_position_embeddings) {
    // Dynamic NTK: grow the base once the sequence outruns the trained context.
    const f = Number(scaling.factor);
    base *= ((f * seqLen) / c.max_position_embeddings - (f - 1)) ** (dim / (dim - 2));
  }
  const inv = Float32Array.from({ length: dim / 2 }, (_, i) => 1 / base ** ((2 * i) / dim));
  switch (type) {
    case "default":
    case "dynamic":
      return inv;
    case "linear":
      return inv.map((f) => f / Number(scaling?.factor));
    case "llama3":
      return llama3InvFreq(inv, scaling as Scaling);
    default:
      throw new Error(`rope_scaling type ${JSON.stringify(type)} is not supported (linear, dynamic, llama3)`);
  }
}

/** Llama 3.1: long wavelengths slowed by `factor`, short ones kept, the band between interpolated. */
function llama3InvFreq(inv: Float32Array, s: Scaling): Float32Array {
  const factor = Number(s.factor);
  const low = Number(s.low_freq_factor);
  const high = Number(s.high_freq_factor);
  const oldContext = Number(s.original_max_position_embeddings);
  const lowWavelen = oldContext / low;
  const highWavelen = oldContext / high;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f;
    if (wavelen > lowWavelen) return f / factor;
    const smooth = (oldContext / wavelen - low) / (high - low);
    return (1 - smooth) * (f / factor) + smooth * f;
  });
}

/** cos and sin tables (B, 1, T, headDim) for positions (B, T), in the model's dtype, on their device. */
export function ropeTables(
  invFreq: Float32Array,
  positions: Tensor,
  dtype: Tensor["dtype"],
): [Tensor, Tensor] {
  const freqs = positions
    .to("float32")
    .unsqueeze(-1)
    .mul(tensor(invFreq, undefined, { device: positions.device })); // (B, T, hd/2)
  const emb = cat([freqs, freqs], -1).unsqueeze(1); // (B, 1, T, hd)
  const cos = emb.cos();
  const sin = emb.sin();
  return dtype === "float32" ? [cos, sin] : [cos.to(dtype), sin.to(dtype)];
}
