// The majority-answer baseline of a task: the accuracy of always giving the task's most frequent gold
// answer, computed from the references alone. Accuracy near it says the model may have learned the
// answer distribution rather than the task.
import type { ParaphraseGroup } from "../data/group.js";
import { normalizeAnswer } from "./normalize-answer.js";

export interface MajorityBaseline {
  /** The normalised answer that is correct for the most items (the first seen on ties). */
  answer: string;
  /** The share of items it is correct for (exact match, any reference). */
  value: number;
  /** Items with references, the ones counted. */
  items: number;
}

/** Null when no group has references. Pass one task's groups. */
export function majorityBaseline(groups: readonly ParaphraseGroup[]): MajorityBaseline | null {
  const counts = new Map<string, number>();
  let items = 0;
  for (const g of groups) {
    if (g.references.length === 0) continue;
    items++;
    // An item counts once per distinct answer, however many references spell it.
    for (const answer of new Set(g.references.map(normalizeAnswer)))
      counts.set(answer, (counts.get(answer) ?? 0) + 1);
  }
  let best: [string, number] | null = null;
  for (const entry of counts) if (best === null || entry[1] > best[1]) best = entry;
  return best === null ? null : { answer: best[0], value: best[1] / items, items };
}
