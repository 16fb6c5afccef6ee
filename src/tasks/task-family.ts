// A task family: instances generated from a seed with an exact reference answer, and three disjoint
// pools of instruction wordings (seed for plain SFT, augmentation for SFT(IA), held-out for evaluation).
import { createRng, type Rng } from "../util/random.js";
import { hashString } from "./hash-string.js";
import { loadWordings, type Wordings } from "./wordings.js";

/**
 * One instance: the input that goes where a wording says {input}, the one exact answer and, where the
 * family works its answers out, the statement the answer follows from, in the corpus's phrasing
 * (worked-answer.ts).
 */
export interface Instance {
  input: string;
  answer: string;
  work?: string;
}

export interface TaskFamily extends Wordings {
  name: string;
  description: string;
  /** How many answers every instance offers, when that number is fixed; null for open answers. */
  options: number | null;
  /** The same (seed, index) always gives the same instance; any number of indexes may be drawn. */
  generate(seed: number, index: number): Instance;
}

/** What a family's source file defines; wordings come from data/tasks/wordings/<name>.json. */
export interface FamilySpec {
  name: string;
  description: string;
  /**
   * How many answers every instance offers, when that number is fixed (yes or no: 2; which of the
   * input's two words: 2; which of three offered categories: 3): a guess is right 1 / options of the
   * time, the family's chance level. Absent for open answers.
   */
  options?: number;
  make(rng: Rng): Instance;
}

export function defineFamily(spec: FamilySpec): TaskFamily {
  let wordings: Wordings | undefined;
  const pools = () => {
    wordings ??= loadWordings(spec.name);
    return wordings;
  };
  return {
    name: spec.name,
    description: spec.description,
    options: spec.options ?? null,
    get seedWordings() {
      return pools().seedWordings;
    },
    get heldOutWordings() {
      return pools().heldOutWordings;
    },
    get augmentWordings() {
      return pools().augmentWordings;
    },
    generate(seed, index) {
      if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(index) || index < 0)
        throw new RangeError(`${spec.name}: seed and index must be integers, index >= 0`);
      // Each instance has its own generator, so instance i never depends on instances before it.
      return spec.make(createRng(hashString(`${spec.name}\u0000${seed}\u0000${index}`)));
    },
  };
}
