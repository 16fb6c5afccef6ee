// Training data for stage 1 from paraphrase groups: one TRL prompt-completion example per instruction
// variant, each keeping the instance input and reference output. The plain SFT baseline gets the
// training groups as given (their original wordings); SFT(IA) the augmented groups.
import type { ParaphraseGroup } from "../data/index.js";
import { instancePrompt } from "./instance-prompt.js";

export interface PromptCompletion {
  prompt: string;
  completion: string;
}

export function sftExamples(groups: Iterable<ParaphraseGroup>): PromptCompletion[] {
  const out: PromptCompletion[] = [];
  for (const g of groups) {
    const completion = g.references[0];
    if (completion === undefined) throw new Error(`group ${g.id}: no reference output to train on`);
    for (const v of g.variants) {
      out.push({ prompt: instancePrompt(v.text, g.input), completion });
    }
  }
  return out;
}
