// What every architecture exposes to generation, scoring and training: a forward pass over token ids
// with an optional padding mask and KV cache, and its parameters under Hugging Face names.
import { checkpoint, type DType, type Tensor, tidy } from "../engine/index.js";
import type { KVCache } from "./kv-cache.js";
import type { LinearLayers } from "./linear-layer.js";

export interface ForwardOptions {
  /** (B, past + T): 1 for real tokens, 0 for padding (left padding in generation). Default: no padding. */
  attentionMask?: Tensor | null;
  /** Past keys and values; this pass appends T positions to it. */
  cache?: KVCache | null;
  /**
   * Only these of the pass's T columns are wanted: hidden() returns (B, length, C), and the last block
   * computes its queries, attention output and MLP for them alone (keys and values still cover every
   * position), which spares scoring the prompt columns' share of that block. Default: all columns.
   */
  columns?: Columns | null;
}

/** A run of columns (positions) of a forward pass. */
export interface Columns {
  start: number;
  length: number;
}

/** x (B, T, ...) restricted to the columns (x itself for null). */
export function narrowColumns(x: Tensor, columns: Columns | null, dim = 1): Tensor {
  return columns === null ? x : x.narrow(dim, columns.start, columns.length);
}

/** What every architecture's transformer block offers: (B, T, C) in, (B, T or length, C) out. */
export interface TransformerBlock<Context> {
  forward(x: Tensor, ctx: Context, columns: Columns | null): Tensor;
}

/**
 * x through the blocks in order, each in its own tidy scope: a block's intermediates are freed when it
 * ends (autograd keeps what backward needs), so an inference pass holds one block's activations, not
 * every block's. Only the last block narrows to `columns` (checked against x's T). `checkpointed`:
 * each block is a gradient checkpoint (engine/checkpoint.ts), recomputed in backward.
 */
export function runBlocks<Context>(
  blocks: readonly TransformerBlock<Context>[],
  x: Tensor,
  ctx: Context,
  columns: Columns | null | undefined,
  checkpointed = false,
): Tensor {
  const kept = checkColumns(columns, x.size(1));
  const last = blocks.length - 1;
  let h = x;
  blocks.forEach((block, i) => {
    const run = (input: Tensor) => block.forward(input, ctx, i === last ? kept : null);
    h = tidy(() => (checkpointed ? checkpoint(run, h) : run(h)));
  });
  return h;
}

/** The columns option, checked against T: null when absent. */
function checkColumns(columns: Columns | null | undefined, T: number): Columns | null {
  if (columns === undefined || columns === null) return null;
  const { start, length } = columns;
  if (
    !(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 1 && start + length <= T)
  )
    throw new RangeError(`columns ${start}..${start + length - 1} are not within the pass's ${T} columns`);
  return columns;
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
  /** Where the parameters live ("cpu", "cuda:0", "meta"); every tensor a forward pass creates goes there. */
  readonly device: string;
  /** Recompute each decoder block in backward instead of keeping its activations (TRL gradient_checkpointing). */
  gradientCheckpointing: boolean;
  /** Token ids that end generation (config / generation_config eos_token_id). */
  readonly eosTokenIds: readonly number[];
  /** Final hidden states (B, T, C) for ids (B, T), after the last norm; (B, length, C) with `columns`. */
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
