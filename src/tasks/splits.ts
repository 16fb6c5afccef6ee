// Train and evaluation sets of the suite as paraphrase groups. Two guarantees, both by construction:
// - instances: every input string belongs to exactly one split, decided by a hash of (family, input),
//   so no evaluation input can ever occur in training, whatever seeds either side uses;
// - wordings: training groups use only seed wordings (plus the augmentation pool for SFT(IA)); held-out
//   wordings appear only in evaluation groups.
import type { ParaphraseGroup, Variant } from "../data/group.js";
import { ORIGINAL } from "../data/group.js";
import { createRng } from "../util/random.js";
import { hashString } from "./hash-string.js";
import { pickDistinct } from "./pick.js";
import type { Instance, TaskFamily } from "./task-family.js";
import { workedTarget } from "./worked-answer.js";

export type Split = "train" | "eval";

/** Percent of each family's input space reserved for evaluation. */
export const EVAL_PERCENT = 20;

/** Variant origins of the suite's wordings besides "original". */
export const ORIGIN = { seed: "seed", augment: "pool", heldOut: "held-out" } as const;

export function instanceSplit(family: TaskFamily, input: string): Split {
  return hashString(`${family.name}\u0000${input}`) % 100 < EVAL_PERCENT ? "eval" : "train";
}

export interface SplitInstance extends Instance {
  index: number;
}

/**
 * The first `count` instances of (family, seed) whose input falls in `split`, in index order. With
 * `unique`, repeated inputs are skipped; families with a small input space (one word from the lexicon)
 * may then run out, and fewer than `count` come back after a bounded search.
 */
export function splitInstances(
  family: TaskFamily,
  split: Split,
  seed: number,
  count: number,
  unique: boolean,
): SplitInstance[] {
  const out: SplitInstance[] = [];
  const seen = new Set<string>();
  const limit = count * 20 + 1000;
  for (let index = 0; out.length < count && index < limit; index++) {
    const instance = family.generate(seed, index);
    if (instanceSplit(family, instance.input) !== split) continue;
    if (unique && seen.has(instance.input)) continue;
    seen.add(instance.input);
    out.push({ ...instance, index });
  }
  return out;
}

export interface TrainOptions {
  seed: number;
  count: number;
  /** Augmentation-pool wordings added to each group for SFT(IA); 0 (default) is the plain SFT set. */
  augment?: number;
  /**
   * Only the item's original wording, not every seed wording: one instruction per example, as the
   * paper's training data; the original rotates with the index, so the items cover every seed wording.
   */
  originalOnly?: boolean;
  /** Each group's target is its instance's worked answer, where its family works answers out. */
  worked?: boolean;
}

export interface EvalOptions {
  seed: number;
  count: number;
  /** Held-out wordings per group, drawn per item; default: all of them. */
  variants?: number;
  /** Also put the item's seed wording first as the "original" variant (for PDR). Default false. */
  withOriginal?: boolean;
  /**
   * Also give each item every seed wording (origin "seed") before its held-out ones, so one file
   * measures the wordings training saw next to those it never saw (the instances stay held out).
   * Default false; not with withOriginal, which would repeat a seed wording.
   */
  seedWordings?: boolean;
}

const variant = (text: string, origin: string): Variant => ({ text, origin });

function group(
  family: TaskFamily,
  split: Split,
  seed: number,
  instance: SplitInstance,
  variants: Variant[],
): ParaphraseGroup {
  // The item's "original" instruction rotates through the seed wordings.
  const original = family.seedWordings[instance.index % family.seedWordings.length]!;
  return {
    id: `${family.name}/${split}/${seed}/${instance.index}`,
    task: family.name,
    instruction: original,
    input: instance.input,
    variants,
    references: [instance.answer],
    meta: { family: family.name, split, seed, index: instance.index },
  };
}

const wordingRng = (family: TaskFamily, split: Split, seed: number, index: number) =>
  createRng(hashString(`${family.name}\u0000${split}\u0000${seed}\u0000${index}\u0000wordings`));

/**
 * Training groups: every seed wording (the rotated original first; with `originalOnly`, that one alone),
 * plus `augment` pool wordings.
 */
export function trainGroups(family: TaskFamily, options: TrainOptions): ParaphraseGroup[] {
  const augment = options.augment ?? 0;
  if (augment > family.augmentWordings.length)
    throw new RangeError(`${family.name}: augment ${augment} > pool of ${family.augmentWordings.length}`);
  return splitInstances(family, "train", options.seed, options.count, false).map((instance) => {
    const seeds = family.seedWordings;
    const first = instance.index % seeds.length;
    const ordered = [...seeds.slice(first), ...seeds.slice(0, first)];
    const pool = pickDistinct(
      wordingRng(family, "train", options.seed, instance.index),
      family.augmentWordings,
      augment,
    );
    const g = group(family, "train", options.seed, instance, [
      variant(ordered[0]!, ORIGINAL),
      ...(options.originalOnly === true ? [] : ordered.slice(1).map((w) => variant(w, ORIGIN.seed))),
      ...pool.map((w) => variant(w, ORIGIN.augment)),
    ]);
    if (options.worked === true && instance.work !== undefined) g.target = workedTarget(instance);
    return g;
  });
}

/** Evaluation groups: held-out instances under held-out wordings (and, optionally, the seed wordings). */
export function evalGroups(family: TaskFamily, options: EvalOptions): ParaphraseGroup[] {
  const n = options.variants ?? family.heldOutWordings.length;
  if (n < 1 || n > family.heldOutWordings.length)
    throw new RangeError(`${family.name}: variants must be 1..${family.heldOutWordings.length}`);
  if (options.seedWordings === true && options.withOriginal === true)
    throw new RangeError(`${family.name}: seedWordings and withOriginal both add the seed wording`);
  const seeds = options.seedWordings === true ? family.seedWordings.map((w) => variant(w, ORIGIN.seed)) : [];
  return splitInstances(family, "eval", options.seed, options.count, true).map((instance) => {
    const held = pickDistinct(
      wordingRng(family, "eval", options.seed, instance.index),
      family.heldOutWordings,
      n,
    );
    const g = group(family, "eval", options.seed, instance, [
      ...seeds,
      ...held.map((w) => variant(w, ORIGIN.heldOut)),
    ]);
    if (options.withOriginal === true) g.variants.unshift(variant(g.instruction, ORIGINAL));
    return g;
  });
}
