// Stage 1's verification examples: they teach the model the judging skill the reward stage asks of it
// (issue 14; the paper's self-reward assumes the stage-1 model can judge). Each is the judge's question
// (judge-prompt.ts) about one of a training item's wordings and a candidate answer, with the completion
// "Yes" or "No" as the checker labels it: the evaluation's accuracy check, normalised exact match against
// the item's references. Candidates are the item's references and the references of other items of the
// same task (plausible wrong answers of the right form; one equal to a reference after normalisation is
// labelled Yes) and near misses of the item's own answer (near-miss.ts: a letter or list item slipped,
// the errors a small model makes), alternating, so the judge learns to check the answer and not only its
// form. No external preference data is used.
import type { ParaphraseGroup } from "../data/index.js";
import { exactMatchQuality } from "../metrics/index.js";
import { shuffle } from "../tasks/pick.js";
import { createRng } from "../util/random.js";
import { instancePrompt } from "./instance-prompt.js";
import { JUDGE_PROMPTS, judgeQuestion } from "./judge-prompt.js";
import { nearMiss } from "./near-miss.js";
import type { PromptCompletion } from "./sft-data.js";

export interface VerificationOptions {
  /** Examples per item, as many Yes as No (0: none). */
  examplesPerItem: number;
  seed: number;
  /** The judge's question templates, one drawn per example (default JUDGE_PROMPTS). */
  templates?: readonly string[];
  /** Whether an example fits the trainer (its max length): an item with one that does not gets none. */
  fits?: (example: PromptCompletion) => boolean;
}

export interface VerificationSummary {
  examples: number;
  yes: number;
  no: number;
  /** Items that got examples. */
  items: number;
  /** Items without references (nothing to check against). */
  noReferences: number;
  /** Items of a task whose other items' references are all correct for them (no wrong answer to show). */
  noWrongAnswer: number;
  /** Items with an example that does not fit the trainer's max length. */
  tooLong: number;
  /** No examples whose answer is a near miss of the item's own (the rest are other items' answers). */
  nearMisses: number;
}

/**
 * `examplesPerItem` verification examples per item, half labelled Yes and half No (an odd count gives its extra
 * example to Yes and No in turn, item by item), each on a seeded draw of the item's wordings and of the
 * templates. Items without references, without a wrong answer among their task's references, or with an
 * example that does not fit the trainer get none, so every item taught is taught both answers. Groups
 * without a task form one task together.
 */
export function verificationExamples(
  groups: readonly ParaphraseGroup[],
  opts: VerificationOptions,
): { examples: PromptCompletion[]; summary: VerificationSummary } {
  const templates = opts.templates ?? JUDGE_PROMPTS;
  const rng = createRng(opts.seed);
  // Each task's distinct references in a seeded order: the answers its items are checked against.
  const pools = new Map<string | undefined, string[]>();
  for (const g of groups) {
    const pool = pools.get(g.task) ?? [];
    pools.set(g.task, pool);
    pool.push(...g.references);
  }
  for (const [task, pool] of pools) pools.set(task, shuffle(rng, [...new Set(pool)]));
  const examples: PromptCompletion[] = [];
  const summary: VerificationSummary = {
    examples: 0,
    yes: 0,
    no: 0,
    items: 0,
    noReferences: 0,
    noWrongAnswer: 0,
    tooLong: 0,
    nearMisses: 0,
  };
  let odd = 0;
  let slip = 0;
  for (const g of opts.examplesPerItem === 0 ? [] : groups) {
    if (g.references.length === 0) {
      summary.noReferences++;
      continue;
    }
    const checker = (answer: string) => exactMatchQuality(g.references, answer) === 1;
    const extra = opts.examplesPerItem % 2 === 1 ? odd++ % 2 : -1;
    const yes = Math.floor(opts.examplesPerItem / 2) + (extra === 0 ? 1 : 0);
    const no = Math.floor(opts.examplesPerItem / 2) + (extra === 1 ? 1 : 0);
    // Walk the task's answers from a seeded start until enough are wrong for this item (or all were seen).
    const pool = pools.get(g.task) ?? [];
    const accepted = [...new Set(g.references)];
    const others: string[] = [];
    const start = rng.int(pool.length);
    for (let k = 0; k < pool.length && others.length < no; k++) {
      const answer = pool[(start + k) % pool.length]!;
      if (!checker(answer)) others.push(answer);
      else if (!accepted.includes(answer)) accepted.push(answer);
    }
    if (others.length === 0) {
      summary.noWrongAnswer++;
      continue;
    }
    // Every other No example (counted over all items) is a near miss of one of the item's answers.
    const slips = new Set<string>();
    const rejected = others.map((other) => {
      if (slip++ % 2 === 1) return other;
      const miss = nearMiss(
        rng,
        accepted[rng.int(accepted.length)]!,
        (a) => !checker(a) && !others.includes(a),
      );
      if (miss !== undefined) slips.add(miss);
      return miss ?? other;
    });
    const candidates = [
      ...Array.from({ length: yes }, (_, i) => accepted[i % accepted.length]!),
      ...Array.from({ length: no }, (_, i) => rejected[i % rejected.length]!),
    ];
    const mine = candidates.map((answer) => {
      const wording = g.variants[rng.int(g.variants.length)]!.text;
      const template = templates[rng.int(templates.length)]!;
      const prompt = judgeQuestion(template, instancePrompt(wording, g.input), answer);
      return { prompt, completion: checker(answer) ? "Yes" : "No" };
    });
    if (opts.fits !== undefined && !mine.every(opts.fits)) {
      summary.tooLong++;
      continue;
    }
    for (const e of mine) summary[e.completion === "Yes" ? "yes" : "no"]++;
    summary.nearMisses += candidates.filter((a) => slips.has(a)).length;
    examples.push(...mine);
    summary.items++;
  }
  summary.examples = examples.length;
  return { examples, summary };
}
