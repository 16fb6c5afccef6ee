// Choosing the next token from last-position logits, in transformers' order: repetition penalty,
// then greedy argmax, or temperature → top-k → top-p → a seeded draw. Filtering happens in
// descending-sorted order, so the draw maps back through the sort indices.
import { arange, F, type Generator, ones, type Tensor, tensor, where, zeros } from "../engine/index.js";

export interface SamplingOptions {
  /** 0 picks the most likely token (greedy); otherwise logits are divided by it (default 0). */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 keeps all (default 0). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose mass reaches p; 1 keeps all (default 1). */
  topP?: number;
  /** CTRL's penalty on tokens already in the sequence: > 1 discourages repeats; 1 is off (default 1). */
  repetitionPenalty?: number;
}

/** One next token per row of logits (B, V); history holds each row's tokens so far (none empty). */
export function nextTokens(
  logits: Tensor,
  history: readonly (readonly number[])[],
  opts: SamplingOptions,
  gen: Generator | null,
): number[] {
  let x = logits.to("float32");
  const penalty = opts.repetitionPenalty ?? 1;
  if (penalty !== 1) x = penalize(x, history, penalty);
  const temperature = opts.temperature ?? 0;
  if (temperature === 0) return x.argmax(-1).toArray();
  const { values, indices } = x.div(temperature).sort(-1, true); // (B, V), most likely first
  const V = x.size(-1);
  const topK = opts.topK ?? 0;
  const kept =
    topK > 0 && topK < V
      ? values.maskedFill(arange(0, V, 1, { device: x.device }).ge(topK), Number.NEGATIVE_INFINITY)
      : values;
  let probs = kept.softmax(-1);
  const topP = opts.topP ?? 1;
  if (topP < 1) probs = probs.maskedFill(probs.cumsum(-1).sub(probs).ge(topP), 0); // mass before ≥ p
  return indices
    .gather(1, F.multinomial(probs, 1, false, gen))
    .squeeze(1)
    .toArray();
}

/** Scores of seen tokens: positive ones divided by the penalty, negative ones multiplied. */
function penalize(x: Tensor, history: readonly (readonly number[])[], penalty: number): Tensor {
  const L = Math.max(1, ...history.map((h) => h.length));
  // Rows are padded with their own first token, which is seen anyway.
  const idx = history.map((h) => Array.from({ length: L }, (_, i) => h[i] ?? h[0] ?? 0));
  const { device } = x;
  const index = tensor(idx, [history.length, L], { dtype: "int64", device });
  const seen = zeros(x.shape, { device })
    .scatterAdd(1, index, ones([history.length, L], { device }))
    .gt(0);
  return where(seen, where(x.gt(0), x.div(penalty), x.mul(penalty)), x);
}
