// Preference training (stage 2 of the method, CAT): a pairwise loss (DPO sigmoid, conservative DPO,
// hinge, IPO) or the RRHF ranking loss, plus sft_weight times the SFT loss on the chosen response.
// Policy log-probabilities come from the same teacher-forced scoring function as everything else, in
// fp32; the reference model's are precomputed (preference-reference.ts). Metrics carry TRL's names.
import { noGrad, type Tensor, tensor } from "../engine/index.js";
import { type CausalLM, completionLogprobs } from "../models/index.js";
import { type PreferenceLossType, preferenceLoss } from "./losses/preference.js";
import { rankingLoss } from "./losses/ranking.js";
import { meanLogps, sumLogps } from "./losses/sequence-logps.js";
import { sftLoss } from "./losses/sft.js";
import type { PreferenceExample } from "./preference-examples.js";
import type { TrainingObjective } from "./trainer.js";

export type PreferenceTrainLoss = PreferenceLossType | "ranking";

export interface PreferenceObjectiveOptions {
  loss: PreferenceTrainLoss;
  /** β of the pairwise losses and of the implicit rewards in the metrics (TRL default 0.1). */
  beta: number;
  /** Conservative DPO's ε (sigmoid only). */
  labelSmoothing: number;
  /** λ: the weight of the SFT loss on the chosen response (TRL loss_weights / rpo_alpha). */
  sftWeight: number;
}

export function preferenceObjective(
  model: CausalLM,
  examples: readonly PreferenceExample[],
  referenceSums: readonly (readonly number[])[],
  opts: PreferenceObjectiveOptions,
  fingerprint: unknown,
): TrainingObjective {
  const pick = (indices: readonly number[]) => indices.map((i) => examples[i] as PreferenceExample);
  // IPO compares length-normalised log-probabilities, in its loss and its metrics (as TRL does); the
  // ranking loss uses them too (RRHF), its metrics the sums every other loss uses.
  const normalised = opts.loss === "ipo";
  return {
    lengths: examples.map((e) => e.prompt.length + Math.max(...e.responses.map((r) => r.length))),
    params: model.params,
    units: (indices) => indices.length,
    tokens: (indices) =>
      pick(indices).reduce((a, e) => a + e.responses.reduce((s, r) => s + e.prompt.length + r.length, 0), 0),
    loss(indices, stepUnits) {
      const batch = pick(indices);
      // Every response of every example in one forward pass; offsets find an example's rows.
      const offsets: number[] = [];
      let rowCount = 0;
      for (const ex of batch) {
        offsets.push(rowCount);
        rowCount += ex.responses.length;
      }
      const items = batch.flatMap((ex) =>
        ex.responses.map((completion) => ({ prompt: ex.prompt, completion })),
      );
      const { logprobs, mask } = completionLogprobs(model, items);
      const sums = sumLogps(logprobs, mask);
      const means = meanLogps(logprobs, mask);
      const rows = (which: "chosen" | "rejected") =>
        tensor(
          batch.map((ex, b) => (offsets[b] as number) + ex[which]),
          [batch.length],
          { dtype: "int64" },
        );
      const chosenRows = rows("chosen");
      const rejectedRows = rows("rejected");
      const refOf = (which: "chosen" | "rejected") =>
        tensor(
          batch.map((ex, b) => {
            const sum = referenceSums[indices[b] as number]?.[ex[which]] as number;
            return normalised ? sum / (ex.responses[ex[which]] as number[]).length : sum;
          }),
          [batch.length],
        );
      const seq = normalised ? means : sums;
      const policyChosen = seq.indexSelect(0, chosenRows);
      const policyRejected = seq.indexSelect(0, rejectedRows);
      const refChosen = refOf("chosen");
      const refRejected = refOf("rejected");

      let preference: Tensor;
      if (opts.loss === "ranking") {
        preference = batch
          .map((ex, b) => {
            const k = ex.responses.length;
            const p = means.narrow(0, offsets[b] as number, k).unsqueeze(0);
            return rankingLoss(p, tensor(ex.rewards, [1, k]));
          })
          .reduce((a, l) => a.add(l))
          .sum();
      } else {
        const pair = { policyChosen, policyRejected, refChosen, refRejected };
        const lossOpts = { type: opts.loss, beta: opts.beta, labelSmoothing: opts.labelSmoothing };
        preference = preferenceLoss(pair, lossOpts).losses.sum();
      }
      const sft = sftLoss(logprobs.indexSelect(0, chosenRows), mask.indexSelect(0, chosenRows));
      // Each micro-batch's SFT mean counts once per pair, so with accumulation the step's SFT term is
      // the pair-weighted mean of the micro-batches' (one micro-batch: exactly mean NLL of chosen tokens).
      let loss = preference;
      if (opts.sftWeight !== 0) loss = loss.add(sft.mul(opts.sftWeight * batch.length));
      return {
        loss: loss.div(stepUnits),
        sums: noGrad(() => {
          const chosenRewards = policyChosen.sub(refChosen).mul(opts.beta);
          const rejectedRewards = policyRejected.sub(refRejected).mul(opts.beta);
          return {
            "loss/preference": preference.item(),
            "loss/sft": sft.item() * batch.length,
            "rewards/chosen": chosenRewards.sum().item(),
            "rewards/rejected": rejectedRewards.sum().item(),
            "rewards/margins": chosenRewards.sub(rejectedRewards).sum().item(),
            "rewards/accuracies": chosenRewards.gt(rejectedRewards).to("float32").sum().item(),
            "logps/chosen": policyChosen.sum().item(),
            "logps/rejected": policyRejected.sum().item(),
          };
        }),
      };
    },
    fingerprint,
  };
}
