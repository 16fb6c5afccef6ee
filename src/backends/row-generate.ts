// Generation for a batch whose rows each carry their own sampling parameters, seed, budget and stop
// strings: what a server needs when concurrent requests share one forward pass. Rows are left-padded
// and share one KV cache; each row has its own seeded generator, so its tokens do not depend on which
// other rows it was batched with. Log-probs, when asked for, are of the model's own distribution
// (before temperature and filtering), as vLLM and OpenAI report them.
import { Generator, noGrad, type Tensor, tensor, tidy } from "../engine/index.js";
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
  const eos = new Set(opts.eosTokenIds);
  const pad = opts.eosTokenIds[0] ?? 0;
  const P = Math.max(...rows.map((r) => r.ids.length));
  const maxNew = Math.max(...rows.map((r) => r.maxNewTokens));
  const seqs = rows.map((r) => [...Array<number>(P - r.ids.length).fill(pad), ...r.ids]);
  const mask = rows.some((r) => r.ids.length < P)
    ? rows.map((r) => [...Array<number>(P - r.ids.length).fill(0), ...Array<number>(r.ids.length).fill(1)])
    : null;
  const history = rows.map((r) => [...r.ids]);
  const gens = rows.map((r) => (r.seed === null ? null : new Generator(r.seed)));
  const out: RowResult[] = rows.map((r) => ({
    tokens: [],
    logprobs: r.logprobs === null ? null : [],
    finishReason: "length",
  }));
  const done = rows.map((r) => r.maxNewTokens === 0);
  const cache = model.newCache(rows.length, P + maxNew);
  try {
    for (let step = 0; step < maxNew && done.includes(false); step++) {
      const input = step === 0 ? seqs : seqs.map((s) => s.slice(-1));
      const chosen = tidy(() => noGrad(() => pick(model, input, mask, cache, rows, history, gens, done)));
      chosen.forEach((c, r) => {
        seqs[r]!.push(c === null ? pad : c.token);
        if (mask !== null) mask[r]!.push(1);
        if (c === null) return;
        const o = out[r]!;
        if (eos.has(c.token)) {
          done[r] = true;
          o.finishReason = "eos";
          return;
        }
        o.tokens.push(c.token);
        o.logprobs?.push(c);
        history[r]!.push(c.token);
        opts.onToken?.(r, c);
        const stop = rows[r]!.stop;
        if (stop.length > 0 && stop.some((s) => s !== "" && opts.decode(o.tokens).includes(s))) {
          done[r] = true;
          o.finishReason = "stop";
        } else if (o.tokens.length >= rows[r]!.maxNewTokens) done[r] = true;
      });
    }
  } finally {
    cache.dispose();
  }
  return out;
}

/** One step: the next token of every unfinished row (null for finished ones). */
function pick(
  model: CausalLM,
  input: number[][],
  mask: number[][] | null,
  cache: ReturnType<CausalLM["newCache"]>,
  rows: readonly GenRow[],
  history: readonly number[][],
  gens: readonly (Generator | null)[],
  done: readonly boolean[],
): (TokenLogprob | null)[] {
  const B = input.length;
  const ids = tensor(input, [B, input[0]!.length], { dtype: "int64" });
  const attentionMask = mask === null ? null : tensor(mask, [B, mask[0]!.length], { dtype: "int64" });
  const logits = model.forward(ids, { attentionMask, cache }).select(1, -1).to("float32"); // (B, V)
  const logp = rows.some((r) => r.logprobs !== null) ? logits.logSoftmax(-1) : null;
  return rows.map((r, i) => {
    if (done[i]) return null;
    const row = logits.narrow(0, i, 1);
    const token = nextTokens(row, [history[i]!], r, gens[i]!)[0]!;
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
