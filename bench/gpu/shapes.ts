// The model shapes of the GPU benchmarks (issue 11), and tiny stand-ins with the same structure for a
// dry run on the CPU (bench/gpu/run.sh with DEVICE=cpu).
const llama = { model_type: "llama", rms_norm_eps: 1e-5, tie_word_embeddings: false };

/** One Llama-7B-shaped decoder layer (d 4096, 32 heads, MLP 11008) as a 1-layer model, tiny vocabulary. */
export const LAYER_7B = {
  ...llama,
  vocab_size: 8,
  hidden_size: 4096,
  intermediate_size: 11008,
  num_hidden_layers: 1,
  num_attention_heads: 32,
  num_key_value_heads: 32,
  max_position_embeddings: 4096,
  rope_theta: 10000,
};

/** Llama-3-8B's shape: vocabulary 128256, 32 layers, d 4096, MLP 14336, 32 heads, 8 key/value heads. */
export const LLAMA3_8B = {
  ...llama,
  vocab_size: 128256,
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  max_position_embeddings: 8192,
  rope_theta: 500000,
};

/** The same structure at a size the CPU runs in seconds. */
export function tiny(config: Record<string, unknown>): Record<string, unknown> {
  return {
    ...config,
    vocab_size: Math.min(Number(config.vocab_size), 512),
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: Math.min(Number(config.num_hidden_layers), 2),
    num_attention_heads: 8,
    num_key_value_heads: Number(config.num_key_value_heads) === Number(config.num_attention_heads) ? 8 : 2,
  };
}
