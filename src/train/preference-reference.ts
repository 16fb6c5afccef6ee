// The reference model's log-probabilities, computed once with the frozen starting model before
// training starts (so no second model is ever in memory) and cached on disk. The cache file is named by
// a hash of the model's weights and config and of every token id of the data (which covers the data,
// the tokenizer, the chat template and truncation) and of the precision it was scored in, so a run on
// other weights or other data can never read a stale file; runs and resumes on the same ones reuse it.
// It is scored in the training's precision (bf16: matmuls in bfloat16, as TRL's reference forward under
// autocast), so that at step 0 the policy's log-probs equal it and the log-ratios start at 0.
// Data-parallel ranks share the scoring.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import { type DType, withAutocast } from "../engine/index.js";
import { type CausalLM, lengthBatches, scoreBatch, type TokenScoreItem } from "../models/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { modelHash } from "./model-hash.js";
import type { PreferenceExample } from "./preference-examples.js";

// Bump when what is stored, or how it is computed, changes.
const VERSION = 1;

export interface ReferenceLogps {
  /** Per example, each response's summed log-probability under the reference model. */
  sums: number[][];
  /** The cache key: hashes of model and data, and the precision scored in (when not float32). */
  key: string;
  modelHash: string;
  dataHash: string;
  /** The cache file, and whether this run read it instead of computing. */
  path: string;
  hit: boolean;
}

/** The default cache folder: $XDG_CACHE_HOME/calign/reference-logps, or ~/.cache/... */
export function defaultReferenceCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "calign", "reference-logps");
}

/** SHA-256 of every example's token ids, with lengths so that boundaries count too. */
export function dataHash(examples: readonly PreferenceExample[]): string {
  const h = createHash("sha256");
  const ints = (xs: readonly number[]) => h.update(new Uint8Array(Int32Array.from(xs).buffer));
  for (const ex of examples) {
    ints([ex.prompt.length, ex.responses.length, ...ex.responses.map((r) => r.length)]);
    ints(ex.prompt);
    for (const r of ex.responses) ints(r);
  }
  return h.digest("hex");
}

interface CacheFile {
  version: number;
  key: string;
  sums: number[][];
}

function readCache(path: string, key: string, examples: readonly PreferenceExample[]): number[][] | null {
  if (!existsSync(path)) return null;
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    const fits =
      file.version === VERSION &&
      file.key === key &&
      file.sums.length === examples.length &&
      file.sums.every((s, i) => s.length === examples[i]?.responses.length && s.every(Number.isFinite));
    return fits ? file.sums : null;
  } catch {
    // A torn or foreign file is recomputed and replaced, never trusted.
    return null;
  }
}

export interface ReferenceOptions {
  cacheDir: string;
  batchSize: number;
  /** Data-parallel ranks: they share the scoring and rank 0's cache file decides for all of them. */
  group?: ProcessGroup;
  /** The dtype the training's matmuls compute in (bf16 training: "bfloat16"); null or absent: float32. */
  autocast?: DType | null;
  /** Runs a synchronous step with the model as the reference (LoRA: adapters disabled). */
  asReference?: <R>(step: () => R) => R;
}

export async function referenceLogps(
  model: CausalLM,
  examples: readonly PreferenceExample[],
  opts: ReferenceOptions,
): Promise<ReferenceLogps> {
  const { group } = opts;
  const asReference = opts.asReference ?? (<R>(step: () => R) => step());
  const isMain = group === undefined || group.isMain;
  const m = asReference(() => modelHash(model));
  const d = dataHash(examples);
  const autocast = opts.autocast ?? null;
  // Float32 keys stay as they were before bf16 existed, so their cached files are still found.
  const keyed = { version: VERSION, model: m, data: d, ...(autocast === null ? {} : { autocast }) };
  const key = createHash("sha256").update(JSON.stringify(keyed)).digest("hex");
  const path = join(opts.cacheDir, `${key.slice(0, 32)}.json`);
  // Every rank must agree whether to compute: rank 0's file decides (another node's may differ).
  const found = isMain ? readCache(path, key, examples) : null;
  const cached = group === undefined ? found : ((await group.allGatherJson(found))[0] ?? null);
  const base = { key, modelHash: m, dataHash: d, path };
  if (cached !== null) return { ...base, sums: cached, hit: true };
  const items = examples.flatMap((ex) =>
    ex.responses.map((completion) => ({ prompt: ex.prompt, completion })),
  );
  // Each rank scores whole batches of the single-process split, so every number is the same.
  const mine: [number, number][] = [];
  asReference(() =>
    withAutocast(autocast, () => {
      for (const [b, batch] of lengthBatches(items, opts.batchSize).entries()) {
        if (!ownsBatch(group, b)) continue;
        const scores = scoreBatch(
          model,
          batch.map((i) => items[i] as TokenScoreItem),
        );
        for (const [r, i] of batch.entries()) mine.push([i, (scores[r] as { sum: number }).sum]);
      }
    }),
  );
  const byItem = group === undefined ? new Map(mine) : await gatherResults(group, mine);
  let next = 0;
  const sums = examples.map((ex) => ex.responses.map(() => byItem.get(next++) as number));
  if (isMain) {
    mkdirSync(opts.cacheDir, { recursive: true });
    writeJsonAtomicSync(path, { version: VERSION, key, sums } satisfies CacheFile);
  }
  return { ...base, sums, hit: false };
}
