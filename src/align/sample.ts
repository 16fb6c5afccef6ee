// Stage `sample`: k candidate responses per instruction variant from the stage-1 model (method.md:
// k = 4, temperature 0.8, top-p 0.95, seeded), the raw material of self-rewarded pairs. Given a process
// group, the ranks share the batches and every rank ends with all the candidates.
import type { Backend } from "../backends/index.js";
import type { ParaphraseGroup, Variant } from "../data/index.js";
import { gatherResults, ownsBatch, type ProcessGroup } from "../distributed/index.js";
import { shuffle } from "../tasks/pick.js";
import { createRng } from "../util/random.js";
import { instructionKey } from "./augment.js";
import { asPrompt, instancePrompt } from "./instance-prompt.js";

export interface SampleOptions {
  k: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  seed: number;
  chat: boolean;
  /** Prompts per backend call. */
  batch: number;
  /** Sample only this many groups (a seeded subset; 0 = all): stage 2 needs pairs, not every item. */
  maxGroups?: number;
  /** Variants per sampled group (a seeded subset; 0 = all). */
  variantsPerGroup?: number;
}

/** The candidates of one prompt: one instruction variant of one item. */
export interface CandidateSet {
  id: string;
  task?: string;
  variant: number;
  prompt: string;
  candidates: string[];
  /** Filled by the reward stage, one per candidate. */
  rewards?: number[];
}

/**
 * Stage 2's candidates: for each group, a seeded subset of its variants (`maxGroups`, `variantsPerGroup`;
 * 0 = all) each answered `k` times by the backend with temperature/top-p sampling, batched `batch`
 * prompts at a time. Rewards are filled later by `rewardCandidates`.
 */
export async function sampleCandidates(
  backend: Backend,
  groups: readonly ParaphraseGroup[],
  opts: SampleOptions,
  onBatch?: (done: number, total: number) => void,
  group?: ProcessGroup,
): Promise<CandidateSet[]> {
  const rng = createRng(opts.seed ^ 0x5eed);
  // A seeded draw of n (0: all), kept in the original order.
  const subset = <T>(xs: readonly T[], n: number | undefined): T[] =>
    shuffle(
      rng,
      xs.map((_, i) => i),
    )
      .slice(0, n || xs.length)
      .sort((a, b) => a - b)
      .map((i) => xs[i] as T);
  const sets: CandidateSet[] = subset(groups, opts.maxGroups).flatMap((g) =>
    subset(
      g.variants.map((v, variant) => ({ v, variant })),
      opts.variantsPerGroup,
    ).map(({ v, variant }) => ({
      id: g.id,
      ...(g.task === undefined ? {} : { task: g.task }),
      variant,
      prompt: instancePrompt(v.text, g.input),
      candidates: [],
    })),
  );
  for (let s = 0; s < sets.length; s += opts.batch) {
    if (!ownsBatch(group, s / opts.batch)) continue;
    const batch = sets.slice(s, s + opts.batch);
    const { samples } = await backend.generate({
      prompts: batch.map((c) => asPrompt(c.prompt, opts.chat)),
      n: opts.k,
      temperature: opts.temperature,
      topP: opts.topP,
      maxTokens: opts.maxTokens,
      // The backend seeds sample j of every prompt with seed + j: results do not depend on batching.
      seed: opts.seed,
    });
    batch.forEach((c, i) => {
      c.candidates = (samples[i] ?? []).map((x) => x.text.trim());
    });
    onBatch?.(Math.min(s + opts.batch, sets.length), sets.length);
  }
  if (group !== undefined) {
    const mine = [...sets.entries()].filter(([i]) => ownsBatch(group, Math.floor(i / opts.batch)));
    const all = await gatherResults(
      group,
      mine.map(([i, c]) => [i, c.candidates]),
    );
    for (const [i, c] of sets.entries()) c.candidates = all.get(i) ?? [];
  }
  return sets;
}

/**
 * Each group under its own wordings and then every other wording that a group of `from` with the same
 * instruction (task and instruction text) has, each text once; the group's own keep their numbers. With
 * paraphrases drawn per item (augment.per_item), this adds the instruction's paraphrases the item did
 * not train with; for stage 2's own prompts, the wordings training gave their instruction.
 */
export function withInstructionWordings(
  groups: readonly ParaphraseGroup[],
  from: readonly ParaphraseGroup[],
): ParaphraseGroup[] {
  const byInstruction = new Map<string, Variant[]>();
  for (const g of from) {
    const key = instructionKey(g);
    const known = byInstruction.get(key) ?? [];
    known.push(...g.variants);
    byInstruction.set(key, known);
  }
  return groups.map((g) => {
    const seen = new Set<string>();
    const variants: Variant[] = [];
    for (const v of [...g.variants, ...(byInstruction.get(instructionKey(g)) ?? [])]) {
      if (seen.has(v.text)) continue;
      seen.add(v.text);
      variants.push(v);
    }
    return { ...g, variants };
  });
}
