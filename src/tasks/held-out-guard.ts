// A check for training-data builders that take wordings from elsewhere (a model or the rule
// paraphraser): a text that is one of the suite's held-out wordings, up to case, punctuation, spacing
// and where {input} sits, must not reach training.
import { listFamilies } from "./registry.js";
import { wordingKey } from "./wordings.js";

let keys: Set<string> | undefined;

export function isHeldOutWording(text: string): boolean {
  keys ??= new Set(listFamilies().flatMap((f) => f.heldOutWordings.map(wordingKey)));
  return keys.has(wordingKey(text));
}
