// Supervised fine-tuning (stage 1 of the method, and the plain-SFT baseline): token-level
// cross-entropy on completion tokens given their prompt, through the same teacher-forced scoring
// function that generation-time scoring and the preference trainer use.
import { tensor } from "../engine/index.js";
import { type CausalLM, completionLogprobs } from "../models/index.js";
import type { TokenizedExample } from "./tokenized-example.js";
import type { TrainingObjective } from "./trainer.js";

const lossTokens = (ex: TokenizedExample) =>
  ex.completionMask === undefined ? ex.completion.length : ex.completionMask.reduce((a, b) => a + b, 0);

export function sftObjective(
  model: CausalLM,
  examples: readonly TokenizedExample[],
  fingerprint: unknown,
): TrainingObjective {
  const pick = (indices: readonly number[]) => indices.map((i) => examples[i] as TokenizedExample);
  return {
    lengths: examples.map((e) => e.prompt.length + e.completion.length),
    params: model.params,
    units: (indices) => pick(indices).reduce((a, e) => a + lossTokens(e), 0),
    tokens: (indices) => pick(indices).reduce((a, e) => a + e.prompt.length + e.completion.length, 0),
    loss(indices, stepUnits) {
      const batch = pick(indices);
      const { logprobs, mask } = completionLogprobs(model, batch);
      let m = mask;
      if (batch.some((e) => e.completionMask !== undefined)) {
        const L = logprobs.size(1);
        const rows = batch.map((e) => {
          const row = e.completionMask ?? e.completion.map(() => 1);
          return [...row, ...Array<number>(L - row.length).fill(0)];
        });
        m = tensor(rows, [batch.length, L], { device: logprobs.device });
      }
      return { loss: logprobs.mul(m).sum().neg().div(stepUnits), sums: {} };
    },
    fingerprint,
  };
}
