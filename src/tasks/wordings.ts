// A family's instruction wordings, read from data/tasks/wordings/<family>.json and checked on load.
// Convention: every wording contains the placeholder {input} exactly once, where the instance input goes,
// so a wording may put its instruction before, after or around the input.
import { readDataFile } from "./data-file.js";

export const INPUT_PLACEHOLDER = "{input}";

export interface Wordings {
  /** The "original" instructions: the only wordings plain SFT sees. */
  seedWordings: readonly string[];
  /** Evaluation only: never in any training split. */
  heldOutWordings: readonly string[];
  /** Stands in offline for an LLM paraphraser when building the SFT(IA) training set. */
  augmentWordings: readonly string[];
}

const POOLS = { seed: "seedWordings", heldOut: "heldOutWordings", augment: "augmentWordings" } as const;

function pool(family: string, json: Record<string, unknown>, key: keyof typeof POOLS): string[] {
  const list = json[key];
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`wordings/${family}.json: "${key}" must be a non-empty list of strings`);
  return list.map((w, i) => {
    if (typeof w !== "string" || w.split(INPUT_PLACEHOLDER).length !== 2)
      throw new Error(`wordings/${family}.json: ${key}[${i}] must contain ${INPUT_PLACEHOLDER} exactly once`);
    return w;
  });
}

export function loadWordings(family: string): Wordings {
  const json = readDataFile(`wordings/${family}.json`) as Record<string, unknown>;
  return {
    seedWordings: pool(family, json, "seed"),
    heldOutWordings: pool(family, json, "heldOut"),
    augmentWordings: pool(family, json, "augment"),
  };
}

/** The prompt a model sees: the wording with the input in place of {input}. */
export function renderWording(wording: string, input: string): string {
  return wording.replace(INPUT_PLACEHOLDER, () => input);
}

/** Two wordings are the same instruction when they match after dropping the placeholder, case,
 * punctuation and spacing; pools are disjoint under this key. */
export function wordingKey(wording: string): string {
  return wording
    .replace(INPUT_PLACEHOLDER, " ")
    .toLowerCase()
    .replace(/[^a-z0-9']+/g, " ")
    .trim();
}
