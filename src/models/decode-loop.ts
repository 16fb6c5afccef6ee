// The decode loop that generate() and the server's generateRows() share, so padding, caching and the
// stopping rules live in one place: prompts are left-padded (position ids come from the mask), rows with
// the same prompt (n samples of it) share one prefill, the KV cache makes each later step one position
// long, each row stops on EOS, a stop string, or its own token budget, and finished rows leave the
// batch. How each row's next token is chosen is the caller's: one sampler for the whole batch, or one
// per row.
import { noGrad, type Tensor, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import type { KVCache } from "./kv-cache.js";

export type FinishReason = "eos" | "stop" | "length";

export interface Generation {
  tokens: number[];
  finishReason: FinishReason;
}

export interface DecodeRow {
  /** At least one token. */
  prompt: readonly number[];
  maxNewTokens: number;
  /** The row ends once the decoded text of its tokens contains one of these (empty ones never match). */
  stop: readonly string[];
}

/**
 * The next token of every row, from the step's last-position logits (B, V) and each row's tokens so
 * far; entries of rows already done are ignored (null will do). Runs under tidy and noGrad.
 */
export type ChooseTokens = (
  logits: Tensor,
  history: readonly (readonly number[])[],
  done: readonly boolean[],
) => readonly (number | null)[];

export interface DecodeOptions {
  choose: ChooseTokens;
  /** Token ids that end a row, not included in its tokens; the first also pads. */
  eosTokenIds: readonly number[];
  /** Text of generated ids: needed when a row has stop strings. */
  decode?: (ids: number[]) => string;
  /** Called for every generated token (EOS excluded) as soon as it is chosen. */
  onToken?: (row: number, id: number) => void;
  /** Recompute the whole sequence each step instead of using the KV cache (for testing; default true). */
  useCache?: boolean;
}

export function decodeLoop(model: CausalLM, rows: readonly DecodeRow[], opts: DecodeOptions): Generation[] {
  const eos = new Set(opts.eosTokenIds);
  const pad = opts.eosTokenIds[0] ?? 0;
  const P = Math.max(...rows.map((r) => r.prompt.length));
  const maxNew = Math.max(...rows.map((r) => r.maxNewTokens));
  const seqs = rows.map((r) => [...Array<number>(P - r.prompt.length).fill(pad), ...r.prompt]);
  const mask = rows.some((r) => r.prompt.length < P)
    ? rows.map((r) => [
        ...Array<number>(P - r.prompt.length).fill(0),
        ...Array<number>(r.prompt.length).fill(1),
      ])
    : null;
  const history = rows.map((r) => [...r.prompt]);
  const out: Generation[] = rows.map(() => ({ tokens: [], finishReason: "length" }));
  const done = rows.map((r) => r.maxNewTokens === 0);
  // Made by the first step (prefill), then grown by one position a step; `live` lists the rows it
  // holds, in its order (finished rows are dropped from it now and then, see compact).
  const state: { cache: KVCache | null; live: number[] } = { cache: null, live: rows.map((_, r) => r) };
  const stepLogits = (): Tensor => {
    if (opts.useCache === false) return lastLogits(model, seqs, mask, null);
    const { cache, live } = state;
    if (cache === null) {
      const first = prefill(model, seqs, mask, P + maxNew);
      state.cache = first.cache;
      return first.logits;
    }
    const logits = lastLogits(
      model,
      live.map((r) => seqs[r]!.slice(-1)),
      mask === null ? null : live.map((r) => mask[r]!),
      cache,
    );
    if (live.length === rows.length) return logits;
    // Every row gets a row of logits, as choose expects (B, V): a dropped row, done, gets any live one's.
    const at = new Map(live.map((r, i) => [r, i]));
    const index = tensor(
      rows.map((_, r) => at.get(r) ?? 0),
      [rows.length],
      { dtype: "int64", device: model.device },
    );
    return logits.indexSelect(0, index);
  };
  // Finished rows stay in the batch until a quarter of it is done, then the cache keeps only the
  // others: decoding to the longest answer no longer costs every row a step (copying the cache costs
  // about one step, so not after every row).
  const compact = () => {
    const cache = state.cache;
    if (cache === null) return;
    const keep = state.live.flatMap((r, i) => (done[r] ? [] : [i]));
    if (keep.length === 0 || keep.length > (state.live.length * 3) / 4) return;
    state.cache = cache.selectRows(keep);
    cache.dispose();
    state.live = keep.map((i) => state.live[i]!);
  };
  try {
    for (let step = 0; step < maxNew && done.includes(false); step++) {
      compact();
      const next = tidy(() => noGrad(() => opts.choose(stepLogits(), history, done)));
      next.forEach((choice, row) => {
        const id = done[row] ? null : choice;
        seqs[row]!.push(id ?? pad);
        if (mask !== null) mask[row]!.push(1);
        if (id === null) return;
        const g = out[row]!;
        if (eos.has(id)) {
          done[row] = true;
          g.finishReason = "eos";
          return;
        }
        g.tokens.push(id);
        history[row]!.push(id);
        opts.onToken?.(row, id);
        const { stop, maxNewTokens } = rows[row]!;
        if (stop.length > 0 && hitsStop(opts.decode!(g.tokens), stop)) {
          done[row] = true;
          g.finishReason = "stop";
        } else if (g.tokens.length >= maxNewTokens) done[row] = true;
      });
    }
  } finally {
    state.cache?.dispose();
  }
  return out;
}

/**
 * The first step, with the cache: each distinct prompt is fed once and its cache rows and logits are
 * copied to every row that shares it (n samples of one prompt), as a row's numbers do not depend on the
 * other rows of its batch.
 */
function prefill(
  model: CausalLM,
  seqs: number[][],
  mask: number[][] | null,
  maxLen: number,
): { logits: Tensor; cache: KVCache } {
  const distinct = new Map<string, number>();
  const firsts: number[] = [];
  const of = seqs.map((s, row) => {
    const key = s.join(",");
    let d = distinct.get(key);
    if (d === undefined) {
      d = firsts.length;
      distinct.set(key, d);
      firsts.push(row);
    }
    return d;
  });
  if (firsts.length === seqs.length) {
    const cache = model.newCache(seqs.length, maxLen);
    return { logits: lastLogits(model, seqs, mask, cache), cache };
  }
  const own = model.newCache(firsts.length, maxLen);
  try {
    const pick = <T>(xs: T[]) => firsts.map((row) => xs[row] as T);
    const logits = lastLogits(model, pick(seqs), mask === null ? null : pick(mask), own);
    const index = tensor(of, [of.length], { dtype: "int64", device: model.device });
    return { logits: logits.indexSelect(0, index), cache: own.selectRows(of) };
  } finally {
    own.dispose();
  }
}

/** Feeds a padded batch and returns the model's last-position logits (B, V). */
function lastLogits(
  model: CausalLM,
  ids: number[][],
  mask: number[][] | null,
  cache: KVCache | null,
): Tensor {
  const B = ids.length;
  const T = ids[0]!.length;
  const { device } = model;
  const input = tensor(ids, [B, T], { dtype: "int64", device });
  const attentionMask = mask === null ? null : tensor(mask, [B, mask[0]!.length], { dtype: "int64", device });
  // Only the last column is needed: the last block and the LM head skip the rest of a prefill.
  const hidden = model.hidden(input, { attentionMask, cache, columns: { start: T - 1, length: 1 } });
  return model.logits(hidden).select(1, 0);
}

function hitsStop(text: string, stops: readonly string[]): boolean {
  return stops.some((s) => s.length > 0 && text.includes(s));
}
