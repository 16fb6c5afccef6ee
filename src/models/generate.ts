// Autoregressive generation over token ids for a batch of prompts of different lengths, with one set
// of options for every row and one shared sampling generator; the loop itself (left padding, KV cache,
// EOS / stop string / budget) is decodeLoop's.
import { Generator } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import { decodeLoop, type Generation } from "./decode-loop.js";
import { nextTokens, type SamplingOptions } from "./sampling.js";

export type { FinishReason, Generation } from "./decode-loop.js";

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

export function generate(
  model: CausalLM,
  prompts: readonly (readonly number[])[],
  opts: GenerateOptions = {},
): Generation[] {
  const maxNewTokens = opts.maxNewTokens ?? 64;
  if (prompts.some((p) => p.length === 0))
    throw new RangeError("generate: every prompt needs at least one token");
  if (opts.stopStrings?.length && opts.decode === undefined)
    throw new Error("generate: stopStrings need decode");
  const stop = opts.stopStrings ?? [];
  const gen = opts.seed === undefined ? null : new Generator(opts.seed);
  return decodeLoop(
    model,
    prompts.map((prompt) => ({ prompt, maxNewTokens, stop })),
    {
      // One draw for the whole batch each step, finished rows included, so a seed gives the same tokens.
      choose: (logits, history) => nextTokens(logits, history, opts, gen),
      eosTokenIds: opts.eosTokenIds ?? model.eosTokenIds,
      decode: opts.decode,
      onToken: opts.onToken,
      useCache: opts.useCache,
    },
  );
}
