// The demo's data from the built-in task suite: training items, each under its original wording (one
// of the seed wordings, rotating), stage 2's prompts (the training split's next draws: a self-reward
// needs no answers; where a family has few inputs, they repeat training inputs), held-out items under
// the seed wordings and under held-out wordings (so the report sets wordings seen in training beside
// unseen ones), and the augmentation pools that stand in offline for the paper's LLM paraphraser.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeGroups } from "../data/index.js";
import { evalGroups, listFamilies, trainGroups } from "../tasks/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";

export interface DemoSizes {
  /** Training instances per family. */
  train: number;
  /** Stage 2's prompts per family: the training split's next instances. */
  prompts: number;
  /** Held-out instances per family. */
  eval: number;
  /** Held-out wordings per held-out item (besides its every seed wording). */
  evalVariants: number;
}

export interface DemoFiles {
  train: string;
  prompts: string;
  eval: string;
  pool: string;
}

/** Where the demo's data lives in its folder. */
export function demoFiles(dir: string): DemoFiles {
  return {
    train: join(dir, "train.jsonl"),
    prompts: join(dir, "prompts.jsonl"),
    eval: join(dir, "eval.jsonl"),
    pool: join(dir, "pool.json"),
  };
}

/** With `worked`, training items (and stage 2's prompts) target worked answers (tasks/worked-answer.ts). */
export async function writeDemoData(
  dir: string,
  sizes: DemoSizes,
  seed: number,
  worked = false,
): Promise<DemoFiles> {
  mkdirSync(dir, { recursive: true });
  const families = listFamilies();
  const files = demoFiles(dir);
  // One draw split in two, so the prompts are the instances after the training ones.
  // Each training item under its original wording alone (the paper's one instruction per example): for
  // the same training cost, three times the instances instead of every seed wording on each, which
  // teaches the tasks better (docs/pretrain.md, "More instances, one wording each").
  const drawn = families.map((f) =>
    trainGroups(f, { seed, count: sizes.train + sizes.prompts, originalOnly: true, worked }),
  );
  await writeGroups(
    files.train,
    drawn.flatMap((gs) => gs.slice(0, sizes.train)),
  );
  await writeGroups(
    files.prompts,
    drawn.flatMap((gs) => gs.slice(sizes.train)),
  );
  await writeGroups(
    files.eval,
    families.flatMap((f) =>
      evalGroups(f, { seed, count: sizes.eval, variants: sizes.evalVariants, seedWordings: true }),
    ),
  );
  writeJsonAtomicSync(files.pool, Object.fromEntries(families.map((f) => [f.name, f.augmentWordings])));
  return files;
}
