// What every architecture exposes to generation, scoring and training: a forward pass over token ids
// with an optional padding mask and KV cache, and its parameters under Hugging Face names.
import type { DType, Tensor } from "../engine/index.js";
import type { KVCache } from "./kv-cache.js";
import type { LinearLayers } from "./linear-layer.js";

export interface ForwardOptions {
  /** (B, past + T): 1 for real tokens, 0 for padding (left padding in generation). Default: no padding. */
  attentionMask?: Tensor | null;
  /** Past keys and values; this pass appends T positions to it. */
  cache?: KVCache | null;
}

export interface CausalLM {
  /** config.json's model_type ("llama", "mistral", "qwen2", "gpt2"). */
  readonly modelType: string;
  /** The config.json object the model was built from (saved back as is). */
  readonly config: Record<string, unknown>;
  /** Every parameter under its Hugging Face name; tied weights appear once. */
  readonly params: ReadonlyMap<string, Tensor>;
  /** The linear projections of the blocks by module name (where adapters attach; not the LM head). */
  readonly linears: LinearLayers;
  readonly vocabSize: number;
  /** Longest sequence the position embedding supports. */
  readonly maxPositions: number;
  readonly dtype: DType;
  /** Token ids that end generation (config / generation_config eos_token_id). */
  readonly eosTokenIds: readonly number[];
  /** Final hidden states (B, T, C) for ids (B, T), after the last norm. */
  hidden(ids: Tensor, opts?: ForwardOptions): Tensor;
  /** Vocabulary logits (..., V) of hidden states (..., C). */
  logits(hidden: Tensor): Tensor;
  /** logits(hidden(ids)): (B, T, V). */
  forward(ids: Tensor, opts?: ForwardOptions): Tensor;
  /** An empty cache for `batch` sequences of up to `maxLen` positions. */
  newCache(batch: number, maxLen: number): KVCache;
  /** Frees the parameters. */
  dispose(): void;
}

/** The shape of every parameter an architecture's config implies, by HF name, in checkpoint order. */
export type ParameterShapes = Map<string, number[]>;
