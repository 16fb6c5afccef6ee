// Training data for stage 1 from paraphrase groups: one TRL prompt-completion example per instruction
// variant (SFT(IA): the original and its paraphrases) or per original only (the plain SFT baseline),
// each keeping the instance input and reference output.
import { ORIGINAL, type ParaphraseGroup } from "../data/index.js";
import { instancePrompt } from "./instance-prompt.js";

export interface PromptCompletion {
  prompt: string;
  completion: string;
}

export function sftExamples(
  groups: Iterable<ParaphraseGroup>,
  variants: "original" | "all",
): PromptCompletion[] {
  const out: PromptCompletion[] = [];
  for (const g of groups) {
    const completion = g.references[0];
    if (completion === undefined) throw new Error(`group ${g.id}: no reference output to train on`);
    for (const v of g.variants) {
      if (variants === "original" && v.origin !== ORIGINAL) continue;
      out.push({ prompt: instancePrompt(v.text, g.input), completion });
    }
  }
  return out;
}
