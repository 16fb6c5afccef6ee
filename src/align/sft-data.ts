// Training data for stage 1 from paraphrase groups: one TRL prompt-completion example per instruction
// variant, each keeping the instance input and its target (a worked answer where the group has one, else
// its first reference). The plain SFT baseline gets the training groups as given (their original
// wordings); SFT(IA) the augmented groups, under every wording of each, or (augment.rows "one") under
// one of them, so that it trains on as many rows as SFT and the two differ only in their wordings.
import type { ParaphraseGroup } from "../data/index.js";
import { hashString } from "../tasks/hash-string.js";
import { pick } from "../tasks/pick.js";
import { createRng } from "../util/random.js";
import { instancePrompt } from "./instance-prompt.js";

export interface PromptCompletion {
  prompt: string;
  completion: string;
}

/**
 * Every group's wordings as examples; with `oneWording` (a seed), one wording per group instead, a draw
 * that depends on the seed and the group's id alone (the same on every rank and every run).
 */
export function sftExamples(groups: Iterable<ParaphraseGroup>, oneWording?: number): PromptCompletion[] {
  const out: PromptCompletion[] = [];
  for (const g of groups) {
    const completion = g.target ?? g.references[0];
    if (completion === undefined) throw new Error(`group ${g.id}: no reference output to train on`);
    const variants =
      oneWording === undefined
        ? g.variants
        : [pick(createRng(hashString(`rows\u0000${g.id}`) ^ oneWording), g.variants)];
    for (const v of variants) {
      out.push({ prompt: instancePrompt(v.text, g.input), completion });
    }
  }
  return out;
}
