// Teacher-forced log-probs of every token of given sequences after the first, with the k most likely
// alternatives and the token's rank: what OpenAI's `echo` + `logprobs` and vLLM's `prompt_logprobs`
// report for a prompt. One forward pass per sequence (no padding, so values match an unpadded score).
import { noGrad, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "../models/index.js";
import type { TokenLogprob } from "./row-generate.js";

export interface PromptTokenLogprob extends TokenLogprob {
  logprob: number;
  /** 1 + the number of tokens more likely than this one. */
  rank: number;
}

/** Per sequence, entries for tokens 1..T-1 (token 0 has nothing before it). */
export function promptLogprobs(
  model: CausalLM,
  sequences: readonly (readonly number[])[],
  k: number,
): PromptTokenLogprob[][] {
  return sequences.map((ids) =>
    tidy(() =>
      noGrad(() => {
        const T = ids.length;
        if (T < 2) return [];
        const input = tensor([...ids], [1, T], { dtype: "int64", device: model.device });
        const logp = model
          .forward(input)
          .select(0, 0)
          .narrow(0, 0, T - 1)
          .to("float32")
          .logSoftmax(-1); // (T-1, V)
        const targets = tensor(ids.slice(1), [T - 1, 1], { dtype: "int64", device: model.device });
        const chosen = logp.gather(1, targets); // (T-1, 1)
        const lps = chosen.squeeze(1).toArray();
        const ranks = logp.gt(chosen).sum(1).toArray();
        const top = k > 0 ? logp.topk(k) : null;
        const topIds = top?.indices.toArray() ?? [];
        const topLps = top?.values.toArray() ?? [];
        return lps.map((logprob, t) => ({
          token: ids[t + 1]!,
          logprob,
          rank: ranks[t]! + 1,
          top: Array.from({ length: k }, (_, j): [number, number] => [
            topIds[t * k + j]!,
            topLps[t * k + j]!,
          ]),
        }));
      }),
    ),
  );
}
