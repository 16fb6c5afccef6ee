// Autoregressive generation over token ids for a batch of prompts of different lengths: prompts are
// left-padded (position ids come from the mask), the KV cache makes each step one position long,
// and each row stops on EOS, a stop string, or its token budget.
import { Generator, noGrad, type Tensor, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import type { KVCache } from "./kv-cache.js";
import { nextTokens, type SamplingOptions } from "./sampling.js";

export interface GenerateOptions extends SamplingOptions {
  /** Most tokens to generate per prompt (default 64). */
  maxNewTokens?: number;
  /** Seed of the sampling generator (default: the engine's global generator). */
  seed?: number;
  /** Token ids that end a row (default the model's eos_token_id). Not included in the result. */
  eosTokenIds?: readonly number[];
  /** A row ends once its decoded text contains one of these (needs `decode`). */
  stopStrings?: readonly string[];
  /** Text of generated ids, for stop strings. */
  decode?: (ids: number[]) => string;
  /** Called for every generated token (EOS excluded) as soon as it is chosen. */
  onToken?: (row: number, id: number) => void;
  /** Recompute the whole sequence each step instead of using the KV cache (for testing; default true). */
  useCache?: boolean;
}

export type FinishReason = "eos" | "stop" | "length";

export interface Generation {
  tokens: number[];
  finishReason: FinishReason;
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
  const input = tensor(ids, [B, T], { dtype: "int64" });
  const attentionMask = mask === null ? null : tensor(mask, [B, mask[0]!.length], { dtype: "int64" });
  return model.forward(input, { attentionMask, cache }).select(1, -1);
}

export function generate(
  model: CausalLM,
  prompts: readonly (readonly number[])[],
  opts: GenerateOptions = {},
): Generation[] {
  const maxNew = opts.maxNewTokens ?? 64;
  if (prompts.some((p) => p.length === 0))
    throw new RangeError("generate: every prompt needs at least one token");
  if (opts.stopStrings?.length && opts.decode === undefined)
    throw new Error("generate: stopStrings need decode");
  const eos = new Set(opts.eosTokenIds ?? model.eosTokenIds);
  const pad = [...eos][0] ?? 0;
  const P = Math.max(...prompts.map((p) => p.length));
  const B = prompts.length;
  const seqs = prompts.map((p) => [...Array<number>(P - p.length).fill(pad), ...p]);
  const padded = prompts.some((p) => p.length < P);
  const mask = padded
    ? prompts.map((p) => [...Array<number>(P - p.length).fill(0), ...Array<number>(p.length).fill(1)])
    : null;
  const history = prompts.map((p) => [...p]);
  const out: Generation[] = prompts.map(() => ({ tokens: [], finishReason: "length" }));
  const done = prompts.map(() => maxNew === 0);
  const gen = opts.seed === undefined ? null : new Generator(opts.seed);
  const cache = opts.useCache === false ? null : model.newCache(B, P + maxNew);
  try {
    for (let step = 0; step < maxNew && done.includes(false); step++) {
      const input = cache === null || step === 0 ? seqs : seqs.map((s) => s.slice(-1));
      const next = tidy(() =>
        noGrad(() => nextTokens(lastLogits(model, input, mask, cache), history, opts, gen)),
      );
      next.forEach((id, row) => {
        seqs[row]!.push(done[row] ? pad : id);
        if (mask !== null) mask[row]!.push(1);
        if (done[row]) return;
        const g = out[row]!;
        if (eos.has(id)) {
          done[row] = true;
          g.finishReason = "eos";
          return;
        }
        g.tokens.push(id);
        history[row]!.push(id);
        opts.onToken?.(row, id);
        if (opts.stopStrings?.length && hitsStop(opts.decode!(g.tokens), opts.stopStrings)) {
          done[row] = true;
          g.finishReason = "stop";
        } else if (g.tokens.length >= maxNew) done[row] = true;
      });
    }
  } finally {
    cache?.dispose();
  }
  return out;
}

function hitsStop(text: string, stops: readonly string[]): boolean {
  return stops.some((s) => s.length > 0 && text.includes(s));
}
