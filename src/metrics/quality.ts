// Quality of one response against an item's references, the max over references as the
// Super-NaturalInstructions scorer takes it: ROUGE-L F1 (default) or normalised exact match.
import { exactMatch } from "./normalize-answer.js";
import { type RougeOptions, rougeLF1 } from "./rouge.js";

export type Quality = (references: readonly string[], response: string) => number;

export function rougeLQuality(options?: RougeOptions): Quality {
  return (references, response) => rougeLF1(references, response, options);
}

export const exactMatchQuality: Quality = (references, response) => {
  if (references.length === 0) throw new RangeError("exact match needs at least one reference");
  return references.some((r) => exactMatch(r, response)) ? 1 : 0;
};
