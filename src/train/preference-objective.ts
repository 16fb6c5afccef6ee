// Preference training (stage 2 of the method, CAT): a pairwise loss (DPO sigmoid, conservative DPO,
// hinge, IPO) or the RRHF ranking loss, plus sft_weight times the SFT loss on the chosen response.
// Policy log-probabilities come from the same teacher-forced scoring function as everything else, in
// fp32; the reference model's are precomputed (preference-reference.ts). Metrics carry TRL's names.
import { noGrad, type Tensor, tensor } from "../engine/index.js";
import { type CausalLM, completionLogprobs } from "../models/index.js";
import {
  implicitRewards,
  type PairLogps,
  type PreferenceLossType,
  type PreferenceRewards,
  preferenceLoss,
} from "./losses/preference.js";
import { rankingLoss } from "./losses/ranking.js";
import { meanLogps, sumLogps } from "./losses/sequence-logps.js";
import { sftLoss } from "./losses/sft.js";
import type { MetricRecord } from "./metrics-log.js";
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
    loss(indices, stepUnits, _position, microBatch) {
      const batch = pick(indices);
      // The SFT term is a mean over the whole micro-batch's chosen tokens, weighted by its pairs, even
      // when this rank scores only its share of it.
      const whole = pick(microBatch);
      const chosenTokens = whole.reduce((a, e) => a + (e.responses[e.chosen] as number[]).length, 0);
      const scored = scoreResponses(model, batch);
      const references = indices.map((i) => referenceSums[i]);
      const pair = pairLogps(batch, scored, references, normalised);
      const { preference, rewards } = preferenceTerm(batch, scored, pair, opts);
      const chosenRows = responseRows(batch, scored.offsets, "chosen", scored.logprobs.device);
      const sft = sftLoss(
        scored.logprobs.indexSelect(0, chosenRows),
        scored.mask.indexSelect(0, chosenRows),
        chosenTokens,
      );
      // Each micro-batch's SFT mean counts once per pair, so with accumulation the step's SFT term is
      // the pair-weighted mean of the micro-batches' (one micro-batch: exactly mean NLL of chosen tokens).
      let loss = preference;
      if (opts.sftWeight !== 0) loss = loss.add(sft.mul(opts.sftWeight * whole.length));
      return { loss: loss.div(stepUnits), sums: metricSums(preference, sft, whole.length, pair, rewards) };
    },
    fingerprint,
  };
}

/** Every response of every example in one forward pass: (R, L) token log-probs over R response rows. */
interface ScoredResponses {
  logprobs: Tensor;
  mask: Tensor;
  /** Sequence log-probs of each row, (R): summed, and averaged over its tokens. */
  sums: Tensor;
  means: Tensor;
  /** Each example's first row. */
  offsets: number[];
}

function scoreResponses(model: CausalLM, batch: readonly PreferenceExample[]): ScoredResponses {
  const offsets: number[] = [];
  let rowCount = 0;
  for (const ex of batch) {
    offsets.push(rowCount);
    rowCount += ex.responses.length;
  }
  const items = batch.flatMap((ex) => ex.responses.map((completion) => ({ prompt: ex.prompt, completion })));
  const { logprobs, mask } = completionLogprobs(model, items);
  return { logprobs, mask, sums: sumLogps(logprobs, mask), means: meanLogps(logprobs, mask), offsets };
}

type Side = "chosen" | "rejected";

/** The row of each example's chosen or rejected response, (B) int64 on `device`. */
function responseRows(
  batch: readonly PreferenceExample[],
  offsets: readonly number[],
  side: Side,
  device: string,
): Tensor {
  return tensor(
    batch.map((ex, b) => (offsets[b] as number) + ex[side]),
    [batch.length],
    { dtype: "int64", device },
  );
}

/** Policy and reference log-probs of each example's chosen and rejected response; per token for IPO. */
function pairLogps(
  batch: readonly PreferenceExample[],
  scored: ScoredResponses,
  references: readonly (readonly number[] | undefined)[],
  normalised: boolean,
): PairLogps {
  const policy = normalised ? scored.means : scored.sums;
  const { device } = policy;
  // The reference model's sums are precomputed (preference-reference.ts).
  const reference = (side: Side) =>
    tensor(
      batch.map((ex, b) => {
        const sum = references[b]?.[ex[side]] as number;
        return normalised ? sum / (ex.responses[ex[side]] as number[]).length : sum;
      }),
      [batch.length],
      { device },
    );
  return {
    policyChosen: policy.indexSelect(0, responseRows(batch, scored.offsets, "chosen", device)),
    policyRejected: policy.indexSelect(0, responseRows(batch, scored.offsets, "rejected", device)),
    refChosen: reference("chosen"),
    refRejected: reference("rejected"),
  };
}

/**
 * The preference loss summed over the micro-batch, and the implicit rewards its metrics report:
 * RRHF over each example's whole ranked list (length-normalised log-probs), or a pairwise loss.
 */
function preferenceTerm(
  batch: readonly PreferenceExample[],
  scored: ScoredResponses,
  pair: PairLogps,
  opts: PreferenceObjectiveOptions,
): { preference: Tensor; rewards: PreferenceRewards } {
  if (opts.loss === "ranking") {
    const preference = batch
      .map((ex, b) => {
        const k = ex.responses.length;
        const p = scored.means.narrow(0, scored.offsets[b] as number, k).unsqueeze(0);
        return rankingLoss(p, tensor(ex.rewards, [1, k], { device: p.device }));
      })
      .reduce((a, l) => a.add(l))
      .sum();
    return { preference, rewards: implicitRewards(pair, opts.beta) };
  }
  const lossOpts = { type: opts.loss, beta: opts.beta, labelSmoothing: opts.labelSmoothing };
  const { losses, ...rewards } = preferenceLoss(pair, lossOpts);
  return { preference: losses.sum(), rewards };
}

/** The micro-batch's metric sums under TRL's names (the trainer divides them by the pairs). */
function metricSums(
  preference: Tensor,
  sft: Tensor,
  pairs: number,
  pair: PairLogps,
  { chosenRewards, rejectedRewards }: PreferenceRewards,
): MetricRecord {
  return noGrad(() => ({
    "loss/preference": preference.item(),
    "loss/sft": sft.item() * pairs,
    "rewards/chosen": chosenRewards.sum().item(),
    "rewards/rejected": rejectedRewards.sum().item(),
    "rewards/margins": chosenRewards.sub(rejectedRewards).sum().item(),
    "rewards/accuracies": chosenRewards.gt(rejectedRewards).to("float32").sum().item(),
    "logps/chosen": pair.policyChosen.sum().item(),
    "logps/rejected": pair.policyRejected.sum().item(),
  }));
}
