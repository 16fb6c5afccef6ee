// Generation for a batch whose rows each carry their own sampling parameters, seed, budget and stop
// strings: what a server needs when concurrent requests share one forward pass. The loop (left
// padding, one shared KV cache, stopping rules) is decodeLoop's; here each row has its own seeded
// generator, so its tokens do not depend on which other rows it was batched with. Log-probs, when
// asked for, are of the model's own distribution (before temperature and filtering), as vLLM and
// OpenAI report them.
import { Generator, type Tensor } from "../engine/index.js";
import { decodeLoop } from "../models/decode-loop.js";
import type { CausalLM } from "../models/index.js";
import { nextTokens } from "../models/index.js";

export interface RowParams {
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
  /** Null: the engine's global generator (not reproducible). */
  seed: number | null;
  maxNewTokens: number;
  stop: readonly string[];
  /** How many alternatives to report per generated token; null = no log-probs. */
  logprobs: number | null;
}

export interface GenRow extends RowParams {
  ids: readonly number[];
}

export interface TokenLogprob {
  token: number;
  /** Null when the row asked for no log-probs. */
  logprob: number | null;
  /** The most likely tokens and their log-probs, most likely first. */
  top: [number, number][];
}

export interface RowResult {
  tokens: number[];
  /** Per generated token when the row asked for log-probs. */
  logprobs: TokenLogprob[] | null;
  finishReason: "eos" | "stop" | "length";
}

export interface RowGenerateOptions {
  eosTokenIds: readonly number[];
  /** Text of generated ids, for stop strings. */
  decode: (ids: number[]) => string;
  /** Every generated token (EOS excluded) as soon as it is chosen. */
  onToken?: (row: number, token: TokenLogprob) => void;
}

export function generateRows(
  model: CausalLM,
  rows: readonly GenRow[],
  opts: RowGenerateOptions,
): RowResult[] {
  if (rows.some((r) => r.ids.length === 0)) throw new RangeError("generateRows: every prompt needs a token");
  const gens = rows.map((r) => (r.seed === null ? null : new Generator(r.seed)));
  const logprobs = rows.map((r): TokenLogprob[] | null => (r.logprobs === null ? null : []));
  let picked: (TokenLogprob | null)[] = []; // this step's choices: decodeLoop keeps them right after choose
  const generations = decodeLoop(
    model,
    rows.map((r) => ({ prompt: r.ids, maxNewTokens: r.maxNewTokens, stop: r.stop })),
    {
      choose: (logits, history, done) => {
        picked = pick(logits, rows, history, gens, done);
        return picked.map((c) => c?.token ?? null);
      },
      eosTokenIds: opts.eosTokenIds,
      decode: opts.decode,
      onToken: (row) => {
        const c = picked[row]!;
        logprobs[row]?.push(c);
        opts.onToken?.(row, c);
      },
    },
  );
  return generations.map((g, i) => ({
    tokens: g.tokens,
    logprobs: logprobs[i] ?? null,
    finishReason: g.finishReason,
  }));
}

/** One step: the next token of every unfinished row (null for finished ones) from logits (B, V). */
function pick(
  logits: Tensor,
  rows: readonly GenRow[],
  history: readonly (readonly number[])[],
  gens: readonly (Generator | null)[],
  done: readonly boolean[],
): (TokenLogprob | null)[] {
  const x = logits.to("float32");
  const logp = rows.some((r) => r.logprobs !== null) ? x.logSoftmax(-1) : null;
  return rows.map((r, i) => {
    if (done[i]) return null;
    const token = nextTokens(x.narrow(0, i, 1), [history[i]!], r, gens[i]!)[0]!;
    if (logp === null || r.logprobs === null) return { token, logprob: null, top: [] };
    return { token, ...tokenLogprob(logp.select(0, i), token, r.logprobs) };
  });
}

/** The log-prob of token and the k most likely alternatives in one row of log-probs (V). */
export function tokenLogprob(
  logp: Tensor,
  token: number,
  k: number,
): { logprob: number; top: [number, number][] } {
  const logprob = logp.select(0, token).item();
  if (k === 0) return { logprob, top: [] };
  const { values, indices } = logp.topk(k);
  const v = values.toArray();
  return { logprob, top: indices.toArray().map((id, j) => [id, v[j]!]) };
}
