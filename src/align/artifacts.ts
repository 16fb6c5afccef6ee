// Reading and writing the pipeline's JSONL artifacts: candidate sets (sample, reward) and preference
// pairs (pairs), atomically, validated on read with errors naming file, line and field.
import { Fields, type Location, readRecords, writeJsonl } from "../data/index.js";
import { collect } from "../util/collect.js";
import type { PreferenceRecord } from "./pairs.js";
import type { CandidateSet } from "./sample.js";

function parseCandidateSet(value: unknown, at: Location): CandidateSet {
  const f = Fields.of(value, at);
  const set: CandidateSet = {
    id: f.string("id", { nonEmpty: true }),
    variant: f.number("variant", { integer: true, min: 0 }),
    prompt: f.string("prompt"),
    candidates: f.stringArray("candidates"),
  };
  const task = f.optionalString("task");
  if (task !== undefined) set.task = task;
  if (f.has("rewards")) {
    const rewards = f.numberArray("rewards");
    if (rewards.length !== set.candidates.length)
      f.fail(
        "rewards",
        `expected ${set.candidates.length} values (one per candidate), got ${rewards.length}`,
      );
    set.rewards = rewards;
  }
  return set;
}

export async function readCandidateSets(path: string): Promise<CandidateSet[]> {
  return collect(readRecords(path, parseCandidateSet));
}

export function writeCandidateSets(path: string, sets: readonly CandidateSet[]): Promise<void> {
  return writeJsonl(path, sets);
}

export function writePairs(path: string, pairs: readonly PreferenceRecord[]): Promise<void> {
  return writeJsonl(path, pairs);
}
