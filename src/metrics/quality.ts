// Quality of one response against an item's references, the max over references as the
// Super-NaturalInstructions scorer takes it: ROUGE-L F1 (default) or normalised exact match.
import { exactMatch } from "./normalize-answer.js";
import { type RougeOptions, resolveRougeOptions, rougeL } from "./rouge.js";
import { cachedRougeTokenizer } from "./tokenizers.js";

export type Quality = (references: readonly string[], response: string) => number;

/** ROUGE-L F1 against each reference, the highest (the SuperNI scorer's rougeL). */
export function rougeLQuality(options?: RougeOptions): Quality {
  const tokens = cachedRougeTokenizer(resolveRougeOptions(options));
  return (references, response) => {
    if (references.length === 0) throw new RangeError("ROUGE-L quality needs at least one reference");
    const p = tokens(response);
    let best = 0;
    for (const reference of references) best = Math.max(best, rougeL(tokens(reference), p).f1);
    return best;
  };
}

export const exactMatchQuality: Quality = (references, response) => {
  if (references.length === 0) throw new RangeError("exact match needs at least one reference");
  return references.some((r) => exactMatch(r, response)) ? 1 : 0;
};
