// Tiny config.json objects for model tests (fast on a shared 2-core machine), one per feature.
type Json = Record<string, unknown>;

const llamaBase: Json = {
  model_type: "llama",
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 4,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  max_position_embeddings: 64,
  vocab_size: 96,
  tie_word_embeddings: false,
  eos_token_id: 2,
};

export const TINY: Record<string, Json> = {
  gpt2: {
    model_type: "gpt2",
    n_embd: 32,
    n_head: 4,
    n_layer: 2,
    n_positions: 64,
    vocab_size: 96,
    n_inner: null,
    activation_function: "gelu_new",
    layer_norm_epsilon: 1e-5,
    eos_token_id: 2,
  },
  "llama untied": llamaBase,
  "llama tied, GQA": { ...llamaBase, num_key_value_heads: 2, tie_word_embeddings: true },
  "qwen2 (QKV bias, GQA 4:1)": { ...llamaBase, model_type: "qwen2", num_key_value_heads: 1, rope_theta: 1e6 },
  "mistral, head_dim 16": { ...llamaBase, model_type: "mistral", head_dim: 16, num_key_value_heads: 2 },
  "llama rope linear": { ...llamaBase, rope_scaling: { rope_type: "linear", factor: 4 } },
  "llama rope dynamic": {
    ...llamaBase,
    max_position_embeddings: 6,
    rope_scaling: { type: "dynamic", factor: 2 },
  },
  "llama rope llama3": {
    ...llamaBase,
    rope_theta: 500000,
    rope_scaling: {
      rope_type: "llama3",
      factor: 8,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 16,
    },
  },
};
