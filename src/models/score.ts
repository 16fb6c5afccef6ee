// Teacher-forced log-probabilities of completions given prompts: the quantity DPO-style trainers
// compare. Prompt and completion arrive as separate token ids and are concatenated, never
// re-tokenized together. Rows are laid out [left padding | prompt | completion | right padding], so
// every completion starts at the same column and only those columns reach the LM head.
import { noGrad, rowLocal, type Tensor, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";

/** A prompt and a completion as token ids (what the model scores; see score-text.ts for text). */
export interface TokenScoreItem {
  prompt: readonly number[];
  completion: readonly number[];
}

export interface CompletionLogprobs {
  /** log p(completion token | everything before it), (B, L); 0 in padding. Float32. */
  logprobs: Tensor;
  /** (B, L): 1 for real completion tokens, 0 for padding. Float32. */
  mask: Tensor;
}

/**
 * Float32 logits per chunk of completion columns (2^24: 64 MB): 16 columns of 8 rows for a 128k
 * vocabulary, so the (B, L, V) float32 log-softmax of a whole batch never exists at once.
 */
const LOGIT_CHUNK_ELEMENTS = 2 ** 24;

export interface CompletionLogprobsOptions {
  /** Completion columns through the LM head and log-softmax at a time (default: LOGIT_CHUNK_ELEMENTS' worth). */
  chunkColumns?: number;
}

/**
 * Per-token log-probabilities for a batch, differentiable when grad is on (trainers call this under
 * enableGrad; sum over dim 1 for sequence log-probs). Log-softmax runs in float32, one chunk of
 * columns at a time, and each chunk's (B, chunk, V) is freed before the next (engine/row-local.ts):
 * under grad too when the LM head is frozen (LoRA: its gradient is taken with the chunk) or the model
 * checkpoints (full fine-tuning: the chunk is recomputed in backward); otherwise a trained head keeps
 * each chunk's log-softmax for backward.
 */
export function completionLogprobs(
  model: CausalLM,
  items: readonly TokenScoreItem[],
  opts: CompletionLogprobsOptions = {},
): CompletionLogprobs {
  if (items.some((it) => it.prompt.length === 0))
    throw new RangeError("completionLogprobs: every prompt needs at least one token (e.g. BOS)");
  const P = Math.max(...items.map((it) => it.prompt.length));
  const L = Math.max(1, ...items.map((it) => it.completion.length));
  const ids: number[][] = [];
  const attn: number[][] = [];
  const targets: number[][] = [];
  const compMask: number[][] = [];
  for (const { prompt, completion } of items) {
    const left = P - prompt.length;
    const right = L - completion.length;
    ids.push([...zerosOf(left), ...prompt, ...completion, ...zerosOf(right)]);
    attn.push([...zerosOf(left), ...onesOf(prompt.length + completion.length), ...zerosOf(right)]);
    targets.push([...completion, ...zerosOf(right)]);
    compMask.push([...onesOf(completion.length), ...zerosOf(right)]);
  }
  const B = items.length;
  const { device } = model;
  const input = tensor(ids, [B, P + L], { dtype: "int64", device });
  // Without padding the causal mask alone is exact, and cheaper than a per-row mask.
  const padded = attn.some((row) => row.includes(0));
  const attentionMask = padded ? tensor(attn, [B, P + L], { dtype: "int64", device }) : null;
  // (B, L, C): the columns that predict P..P+L-1; the last block computes only those.
  const hidden = model.hidden(input, { attentionMask, columns: { start: P - 1, length: L } });
  const target = tensor(targets, [B, L], { dtype: "int64", device }).unsqueeze(-1); // (B, L, 1)
  const mask = tensor(compMask, [B, L], { device });
  const step = opts.chunkColumns ?? Math.max(1, Math.floor(LOGIT_CHUNK_ELEMENTS / (B * model.vocabSize)));
  const logprobs = rowLocal(
    (h, s) =>
      model
        .logits(h)
        .to("float32")
        .logSoftmax(-1) // (B, n, V)
        .gather(2, target.narrow(1, s, h.size(1)))
        .squeeze(-1), // (B, n)
    hidden,
    step,
    { recompute: model.gradientCheckpointing },
  );
  return { logprobs: logprobs.mul(mask), mask };
}

export interface TokenScores {
  /** log p of each completion token. */
  tokenLogprobs: number[];
  /** Their sum: log p(completion | prompt). */
  sum: number;
}

export interface ScoreOptions {
  /** Items per forward pass (default 8); items are grouped by length to limit padding. */
  batchSize?: number;
}

/**
 * How scoreTokens groups items into forward passes: their indices sorted by total length (stably, so
 * padding stays small and the grouping is the same every run), cut into batches of `batchSize`.
 */
export function lengthBatches(items: readonly TokenScoreItem[], batchSize = 8): number[][] {
  const order = items.map((_, i) => i);
  const len = (i: number) => items[i]!.prompt.length + items[i]!.completion.length;
  order.sort((a, b) => len(a) - len(b));
  const batches: number[][] = [];
  for (let s = 0; s < order.length; s += batchSize) batches.push(order.slice(s, s + batchSize));
  return batches;
}

/** One forward pass's inference-time scores (no grad), in the order of items. */
export function scoreBatch(model: CausalLM, items: readonly TokenScoreItem[]): TokenScores[] {
  const rows = tidy(() =>
    noGrad(() => {
      const { logprobs } = completionLogprobs(model, items);
      return items.map((it, r) => logprobs.select(0, r).narrow(0, 0, it.completion.length).toArray());
    }),
  );
  return rows.map((tokenLogprobs) => ({ tokenLogprobs, sum: tokenLogprobs.reduce((a, b) => a + b, 0) }));
}

/** Inference-time scores (no grad), in the order of items. */
export function scoreTokens(
  model: CausalLM,
  items: readonly TokenScoreItem[],
  opts: ScoreOptions = {},
): TokenScores[] {
  const out = new Array<TokenScores>(items.length);
  for (const batch of lengthBatches(items, opts.batchSize))
    scoreBatch(
      model,
      batch.map((i) => items[i]!),
    ).forEach((r, k) => {
      out[batch[k]!] = r;
    });
  return out;
}

function zerosOf(n: number): number[] {
  return Array<number>(n).fill(0);
}
function onesOf(n: number): number[] {
  return Array<number>(n).fill(1);
}
