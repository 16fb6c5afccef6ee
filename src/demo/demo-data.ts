// The demo's data from the built-in task suite: training items under the seed wordings (the
// "original" instructions), held-out items under the seed wordings and under held-out wordings (so the
// report sets wordings seen in training beside unseen ones), and the augmentation pools that stand in
// offline for the paper's LLM paraphraser.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeGroups } from "../data/index.js";
import { evalGroups, listFamilies, trainGroups } from "../tasks/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";

export interface DemoSizes {
  /** Training instances per family. */
  train: number;
  /** Held-out instances per family. */
  eval: number;
  /** Held-out wordings per held-out item (besides its every seed wording). */
  evalVariants: number;
}

export interface DemoFiles {
  train: string;
  eval: string;
  pool: string;
}

export async function writeDemoData(dir: string, sizes: DemoSizes, seed: number): Promise<DemoFiles> {
  mkdirSync(dir, { recursive: true });
  const families = listFamilies();
  const files = {
    train: join(dir, "train.jsonl"),
    eval: join(dir, "eval.jsonl"),
    pool: join(dir, "pool.json"),
  };
  await writeGroups(
    files.train,
    families.flatMap((f) => trainGroups(f, { seed, count: sizes.train })),
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
