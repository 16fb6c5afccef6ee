// The reference model's log-probabilities, computed once with the frozen starting model before
// training starts (so no second model is ever in memory) and cached on disk. The cache file is named by
// a hash of the model's weights and config and of every token id of the data (which covers the data,
// the tokenizer, the chat template and truncation), so a run on other weights or other data can never
// read a stale file; runs and resumes on the same ones reuse it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type CausalLM, scoreTokens } from "../models/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { modelHash } from "./model-hash.js";
import type { PreferenceExample } from "./preference-examples.js";

// Bump when what is stored, or how it is computed, changes.
const VERSION = 1;

export interface ReferenceLogps {
  /** Per example, each response's summed log-probability under the reference model (fp32 scoring). */
  sums: number[][];
  /** The cache key: hashes of model and data. */
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

export function referenceLogps(
  model: CausalLM,
  examples: readonly PreferenceExample[],
  opts: { cacheDir: string; batchSize: number },
): ReferenceLogps {
  const m = modelHash(model);
  const d = dataHash(examples);
  const key = createHash("sha256")
    .update(JSON.stringify({ version: VERSION, model: m, data: d }))
    .digest("hex");
  const path = join(opts.cacheDir, `${key.slice(0, 32)}.json`);
  const cached = readCache(path, key, examples);
  const base = { key, modelHash: m, dataHash: d, path };
  if (cached !== null) return { ...base, sums: cached, hit: true };
  const items = examples.flatMap((ex) =>
    ex.responses.map((completion) => ({ prompt: ex.prompt, completion })),
  );
  const scores = scoreTokens(model, items, { batchSize: opts.batchSize });
  let next = 0;
  const sums = examples.map((ex) => ex.responses.map(() => (scores[next++] as { sum: number }).sum));
  mkdirSync(opts.cacheDir, { recursive: true });
  writeJsonAtomicSync(path, { version: VERSION, key, sums } satisfies CacheFile);
  return { ...base, sums, hit: false };
}
