// llama.cpp tensor names ↔ Hugging Face Llama/Qwen2 names (gguf-py's tensor_mapping.py).

const GLOBAL: ReadonlyArray<[string, string]> = [
  ["token_embd", "model.embed_tokens"],
  ["output_norm", "model.norm"],
  ["output", "lm_head"],
];

const BLOCK: ReadonlyArray<[string, string]> = [
  ["attn_norm", "input_layernorm"],
  ["attn_q", "self_attn.q_proj"],
  ["attn_k", "self_attn.k_proj"],
  ["attn_v", "self_attn.v_proj"],
  ["attn_output", "self_attn.o_proj"],
  ["ffn_norm", "post_attention_layernorm"],
  ["ffn_gate", "mlp.gate_proj"],
  ["ffn_up", "mlp.up_proj"],
  ["ffn_down", "mlp.down_proj"],
];

const GGUF_BLOCK = /^blk\.(\d+)\.([a-z_]+)\.(weight|bias)$/;
const HF_BLOCK = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/;

/** The HF name of a llama.cpp tensor, or undefined when HF has no counterpart (e.g. rope_freqs). */
export function ggufToHfName(name: string): string | undefined {
  const m = GGUF_BLOCK.exec(name);
  if (m !== null) {
    const hf = BLOCK.find(([g]) => g === m[2])?.[1];
    return hf === undefined ? undefined : `model.layers.${m[1]}.${hf}.${m[3]}`;
  }
  const [base, suffix] = splitSuffix(name);
  const hf = GLOBAL.find(([g]) => g === base)?.[1];
  return hf === undefined || suffix === undefined ? undefined : `${hf}.${suffix}`;
}

export function hfToGgufName(name: string): string | undefined {
  const m = HF_BLOCK.exec(name);
  if (m !== null) {
    const g = BLOCK.find(([, hf]) => hf === m[2])?.[0];
    return g === undefined ? undefined : `blk.${m[1]}.${g}.${m[3]}`;
  }
  const [base, suffix] = splitSuffix(name);
  const g = GLOBAL.find(([, hf]) => hf === base)?.[0];
  return g === undefined || suffix === undefined ? undefined : `${g}.${suffix}`;
}

function splitSuffix(name: string): [string, string | undefined] {
  const i = name.lastIndexOf(".");
  const suffix = name.slice(i + 1);
  return i < 0 || (suffix !== "weight" && suffix !== "bias") ? [name, undefined] : [name.slice(0, i), suffix];
}
