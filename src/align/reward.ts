// Stage `reward`: the stage-1 model scores its own candidates (method.md). The default reads the
// judge's probability of "Yes" from its next-token distribution — normalised against "No", averaged
// over several judge prompts — so nothing is parsed from generated text. Alternatives: the candidate's
// mean token log-likelihood, its agreement with the other variants' candidates, or ROUGE-L against
// references. Judge health (spread, ties, histogram) is reported because a collapsed judge silently
// makes every pair noise.
import type { Backend, Score, TextScoreItem } from "../backends/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import { rouge } from "../metrics/index.js";
import { fillTemplate } from "./fill-template.js";
import { asPrompt } from "./instance-prompt.js";
import type { CandidateSet } from "./sample.js";
import { yesNoItems, yesProbability } from "./yes-no.js";

export type RewardMethod = "judge" | "loglik" | "agreement" | "reference";

export const JUDGE_PROMPTS = [
  "Instruction: {prompt}\nResponse: {response}\nIs the response a correct answer to the instruction? Answer Yes or No.",
  "{prompt}\nProposed answer: {response}\nIs the proposed answer right? Reply with Yes or No.",
];

export interface RewardOptions {
  method: RewardMethod;
  judgePrompts: readonly string[];
  chat: boolean;
  /** References per item id (for method "reference"). */
  references?: ReadonlyMap<string, readonly string[]>;
  /** Score calls per backend request. */
  batch: number;
  progress?: (done: number, total: number) => void;
  /** The ranks share the scoring batches; every rank ends with every reward. */
  group?: ProcessGroup;
}

export interface JudgeHealth {
  method: RewardMethod;
  candidates: number;
  mean: number;
  std: number;
  /** Fraction of candidate sets whose rewards are all equal (no pair can come from them). */
  tieRate: number;
  /** Counts in 10 equal bins over [min, max] of the rewards. */
  histogram: { min: number; max: number; counts: number[] };
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

async function judgeRewards(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
): Promise<number[][]> {
  const items: TextScoreItem[] = [];
  for (const set of sets)
    for (const c of set.candidates)
      for (const template of opts.judgePrompts) {
        const prompt = asPrompt(fillTemplate(template, { prompt: set.prompt, response: c }), opts.chat);
        items.push(...yesNoItems(prompt));
      }
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

/** Mean ROUGE-L F1 of a candidate to every candidate of the item's other variants. */
function agreementRewards(sets: CandidateSet[]): number[][] {
  const byItem = new Map<string, CandidateSet[]>();
  for (const s of sets) byItem.set(s.id, [...(byItem.get(s.id) ?? []), s]);
  return sets.map((set) => {
    const others = (byItem.get(set.id) ?? []).filter((o) => o !== set).flatMap((o) => o.candidates);
    return set.candidates.map((c) =>
      others.length === 0 ? 0 : others.reduce((a, o) => a + rouge(o, c).rougeL.f1, 0) / others.length,
    );
  });
}

function referenceRewards(sets: CandidateSet[], refs: ReadonlyMap<string, readonly string[]>): number[][] {
  return sets.map((set) => {
    const r = refs.get(set.id) ?? [];
    if (r.length === 0) throw new Error(`item ${set.id}: reward method "reference" needs references`);
    return set.candidates.map((c) => Math.max(...r.map((t) => rouge(t, c).rougeL.f1)));
  });
}

export function judgeHealth(method: RewardMethod, rewards: readonly (readonly number[])[]): JudgeHealth {
  const all = rewards.flat().filter(Number.isFinite);
  const mean = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
  const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, all.length));
  const ties = rewards.filter(
    (r) => r.length > 1 && r.every((x) => Math.abs(x - (r[0] as number)) < 1e-9),
  ).length;
  const min = Math.min(...all);
  const max = Math.max(...all);
  const counts = Array<number>(10).fill(0);
  for (const x of all) counts[max > min ? Math.min(9, Math.floor(((x - min) / (max - min)) * 10)) : 0]!++;
  return {
    method,
    candidates: all.length,
    mean,
    std,
    tieRate: ties / Math.max(1, rewards.length),
    histogram: { min, max, counts },
  };
}

/** Fills each set's rewards and returns the judge's health. */
export async function rewardCandidates(
  backend: Backend,
  sets: CandidateSet[],
  opts: RewardOptions,
): Promise<JudgeHealth> {
  const rewards =
    opts.method === "judge"
      ? await judgeRewards(backend, sets, opts)
      : opts.method === "loglik"
        ? await loglikRewards(backend, sets, opts)
        : opts.method === "agreement"
          ? agreementRewards(sets)
          : referenceRewards(sets, opts.references ?? new Map());
  sets.forEach((s, i) => {
    s.rewards = rewards[i] as number[];
  });
  return judgeHealth(opts.method, rewards);
}
