// Stage `reward`: the stage-1 model scores its own candidates (method.md). The default reads the
// judge's probability of "Yes" from its next-token distribution — normalised against "No", averaged
// over several judge prompts — so nothing is parsed from generated text. Alternatives: the candidate's
// mean token log-likelihood, its agreement with the other variants' candidates (guarded by the judge:
// only candidates it accepts count and are paid, so answering one thing to every input is not; less the
// agreement with other inputs' answers, which needs no judge; or unguarded), or ROUGE-L against
// references. The judge's health (judge-health.ts) is returned with the rewards. Given an answer pattern,
// the judge, agreement, the references and the checker see each candidate's answer, not its working.
import type { Backend, Score, TextScoreItem } from "../backends/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import { type AnswerOf, exactMatchQuality, rouge, wholeResponse } from "../metrics/index.js";
import { asPrompt } from "./instance-prompt.js";
import { checkerAgreement, type JudgeHealth, judgeHealth } from "./judge-health.js";
import { judgeQuestion } from "./judge-prompt.js";
import type { CandidateSet } from "./sample.js";
import { yesNoItems, yesProbability } from "./yes-no.js";

export type RewardMethod =
  | "judge"
  | "loglik"
  | "agreement"
  | "agreement_contrastive"
  | "agreement_unguarded"
  | "reference";

/** Other items of its task a candidate is contrasted with (agreement_contrastive). */
export const CONTRAST_ITEMS = 8;

export interface RewardOptions {
  method: RewardMethod;
  judgePrompts: readonly string[];
  chat: boolean;
  /**
   * References per item id: what method "reference" scores against, and the checker (normalised exact
   * match) the judge's health is measured against.
   */
  references?: ReadonlyMap<string, readonly string[]>;
  /**
   * A candidate's answer (metrics/answer-pattern.ts): what the judge is asked about and agreement and the
   * checker compare; loglik scores the whole candidate. Default: the whole candidate.
   */
  answerOf?: AnswerOf;
  /** Score calls per backend request. */
  batch: number;
  progress?: (done: number, total: number) => void;
  /** The ranks share the scoring batches; every rank ends with every reward. */
  group?: ProcessGroup;
}

async function scoreAll(backend: Backend, items: TextScoreItem[], opts: RewardOptions): Promise<Score[]> {
  const mine: [number, Score][] = [];
  for (let s = 0; s < items.length; s += opts.batch) {
    if (!ownsBatch(opts.group, s / opts.batch)) continue;
    for (const [i, score] of (await backend.score(items.slice(s, s + opts.batch))).entries())
      mine.push([s + i, score]);
    opts.progress?.(Math.min(s + opts.batch, items.length), items.length);
  }
  const scores = opts.group === undefined ? new Map(mine) : await gatherResults(opts.group, mine);
  return items.map((_, i) => scores.get(i) as Score);
}

/** Each candidate's P(Yes) as the judge, averaged over the judge prompts. */
async function judgeProbabilities(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
): Promise<number[][]> {
  const items: TextScoreItem[] = [];
  for (const set of sets)
    for (const c of set.candidates)
      for (const template of opts.judgePrompts)
        items.push(...yesNoItems(asPrompt(judgeQuestion(template, set.prompt, c), opts.chat)));
  const lp = (await scoreAll(backend, items, opts)).map((r) => r.logprob);
  let k = 0;
  return sets.map((set) =>
    set.candidates.map(() => {
      let sum = 0;
      for (let j = 0; j < opts.judgePrompts.length; j++) {
        const yes = lp[k++] as number;
        const no = lp[k++] as number;
        sum += yesProbability(yes, no);
      }
      return sum / opts.judgePrompts.length;
    }),
  );
}

async function loglikRewards(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
): Promise<number[][]> {
  const items = sets.flatMap((set) =>
    set.candidates.map((c) => ({ prompt: asPrompt(set.prompt, opts.chat), completion: c })),
  );
  const scores = (await scoreAll(backend, items, opts)).map((r) =>
    r.tokenLogprobs.length === 0 ? Number.NEGATIVE_INFINITY : r.logprob / r.tokenLogprobs.length,
  );
  let k = 0;
  return sets.map((set) => set.candidates.map(() => scores[k++] as number));
}

/**
 * Mean ROUGE-L F1 of each candidate to the counted candidates of the item's other variants (0 when there
 * are none). `counts(set, candidate)`: every candidate (unguarded), or those the judge accepts.
 */
function agreementRewards(sets: CandidateSet[], counts: (set: number, c: number) => boolean): number[][] {
  const byItem = new Map<string, number[]>();
  for (const [i, s] of sets.entries()) byItem.set(s.id, [...(byItem.get(s.id) ?? []), i]);
  return sets.map((set, i) => {
    const others = (byItem.get(set.id) ?? [])
      .filter((j) => j !== i)
      .flatMap((j) => sets[j]!.candidates.filter((_, c) => counts(j, c)));
    return set.candidates.map((c) =>
      others.length === 0 ? 0 : others.reduce((a, o) => a + rouge(o, c).rougeL.f1, 0) / others.length,
    );
  });
}

/**
 * Agreement specific to the input: a candidate's agreement with the other variants of its item, less its
 * mean ROUGE-L F1 to the candidates of other items of the same task (the next CONTRAST_ITEMS in the
 * sample's order; sets without a task form one task), in [−1, 1]. An answer given to every input agrees
 * as much across inputs as across wordings and earns about 0, so what pays is agreeing across wordings
 * on this input's own answer; 0 where the item has no other variant or the task no other item.
 */
function contrastiveAgreementRewards(sets: CandidateSet[]): number[][] {
  const same = agreementRewards(sets, () => true);
  const byItem = new Map<string, CandidateSet[]>();
  const byTask = new Map<string | undefined, string[]>();
  for (const s of sets) {
    const item = byItem.get(s.id);
    if (item !== undefined) item.push(s);
    else {
      byItem.set(s.id, [s]);
      const ids = byTask.get(s.task);
      if (ids === undefined) byTask.set(s.task, [s.id]);
      else ids.push(s.id);
    }
  }
  const contrast = new Map<string, string[]>();
  for (const ids of byTask.values())
    for (const [p, id] of ids.entries()) {
      const n = Math.min(CONTRAST_ITEMS, ids.length - 1);
      const next = Array.from({ length: n }, (_, k) => ids[(p + 1 + k) % ids.length]!);
      contrast.set(
        id,
        next.flatMap((o) => byItem.get(o)!.flatMap((x) => x.candidates)),
      );
    }
  return sets.map((set, i) => {
    const others = contrast.get(set.id)!;
    if (others.length === 0 || byItem.get(set.id)!.length < 2) return set.candidates.map(() => 0);
    return set.candidates.map(
      (c, k) => same[i]![k]! - others.reduce((a, o) => a + rouge(o, c).rougeL.f1, 0) / others.length,
    );
  });
}

/**
 * Agreement guarded by the judge: a candidate it accepts (P(Yes) >= 0.5) gets its agreement with the
 * accepted candidates of the other variants, in [0, 1]; one it rejects gets P(Yes) − 1, in [−1, −0.5):
 * below every accepted candidate, and ordered by the judge among the rejected, so a set the judge
 * rejects whole still gives the judge's pair, and agreement pays no answer the judge rejects.
 */
function guardedAgreementRewards(sets: CandidateSet[], pYes: number[][]): number[][] {
  const accepts = (s: number, c: number) => pYes[s]![c]! >= 0.5;
  return agreementRewards(sets, accepts).map((r, s) =>
    r.map((agreement, c) => (accepts(s, c) ? agreement : pYes[s]![c]! - 1)),
  );
}

function referenceRewards(sets: CandidateSet[], refs: ReadonlyMap<string, readonly string[]>): number[][] {
  return sets.map((set) => {
    const r = refs.get(set.id) ?? [];
    if (r.length === 0) throw new Error(`item ${set.id}: reward method "reference" needs references`);
    return set.candidates.map((c) => Math.max(...r.map((t) => rouge(t, c).rougeL.f1)));
  });
}

/** The scores (P(Yes) when `probabilities`) against the checker, over candidates whose items have references. */
function againstChecker(
  sets: CandidateSet[],
  scores: number[][],
  probabilities: boolean,
  refs: ReadonlyMap<string, readonly string[]>,
) {
  const xs: number[] = [];
  const verdicts: boolean[] = [];
  for (const [i, set] of sets.entries()) {
    const r = refs.get(set.id) ?? [];
    if (r.length === 0) continue;
    for (const [c, text] of set.candidates.entries()) {
      xs.push(scores[i]![c]!);
      verdicts.push(exactMatchQuality(r, text) === 1);
    }
  }
  return checkerAgreement(xs, verdicts, probabilities);
}

/** Each candidate's reward by `opts.method`, given the judge's P(Yes) where the method reads it. */
async function rewardsOf(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
  pYes: number[][] | null,
): Promise<number[][]> {
  switch (opts.method) {
    case "judge":
      return pYes as number[][];
    case "agreement":
      return guardedAgreementRewards(sets, pYes as number[][]);
    case "agreement_contrastive":
      return contrastiveAgreementRewards(sets);
    case "agreement_unguarded":
      return agreementRewards(sets, () => true);
    case "loglik":
      return loglikRewards(backend, sets, opts);
    case "reference":
      return referenceRewards(sets, opts.references ?? new Map());
  }
}

/** Fills each set's rewards and returns the judge's health. */
export async function rewardCandidates(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
): Promise<JudgeHealth> {
  const answerOf = opts.answerOf ?? wholeResponse;
  const answers = sets.map((s) => ({ ...s, candidates: s.candidates.map(answerOf) }));
  const reads = opts.method === "judge" || opts.method === "agreement";
  const pYes = reads ? await judgeProbabilities(backend, answers, opts) : null;
  const rewards = await rewardsOf(backend, opts.method === "loglik" ? sets : answers, opts, pYes);
  sets.forEach((s, i) => {
    s.rewards = rewards[i] as number[];
  });
  const checker = againstChecker(answers, pYes ?? rewards, reads, opts.references ?? new Map());
  return judgeHealth(opts.method, rewards, { pYes, checker });
}
