// The filters every paraphrase passes before it joins training data (method.md): not a near-duplicate
// of the original or of a kept paraphrase (ROUGE-L F1), no constraint of the original lost (quoted
// terms, numbers, answer-format words, the input placeholder), and a length within bounds.
import { rouge } from "../metrics/index.js";
import { INPUT_PLACEHOLDER } from "./instance-prompt.js";

export interface FilterOptions {
  /** Drop a paraphrase whose ROUGE-L F1 to the original or a kept paraphrase is at least this. */
  nearDuplicate: number;
  /** Allowed word-count ratio to the original, [min, max]. */
  lengthRatio: [number, number];
}

export const DEFAULT_FILTERS: FilterOptions = { nearDuplicate: 0.9, lengthRatio: [0.4, 3] };

export type Rejection = "empty" | "near_duplicate" | "lost_constraint" | "length_outlier" | "held_out";

// Answer-format words whose loss changes what a correct answer looks like.
const FORMAT_WORDS = ["json", "comma", "csv", "uppercase", "lowercase", "bullet"];

/** The constraint tokens of an instruction that every paraphrase must keep. */
export function constraintTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const m of text.matchAll(/"([^"]+)"|'([^']+)'|“([^”]+)”/g))
    terms.add((m[1] ?? m[2] ?? m[3] ?? "").toLowerCase());
  for (const m of text.matchAll(/\b\d+(?:\.\d+)?\b/g)) terms.add(m[0]);
  if (text.includes(INPUT_PLACEHOLDER)) terms.add(INPUT_PLACEHOLDER);
  const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  // "yes"/"no" only count as a format demand together ("answer yes or no").
  if (words.has("yes") && words.has("no")) terms.add("yes").add("no");
  for (const w of FORMAT_WORDS) if (words.has(w)) terms.add(w);
  return [...terms];
}

function keepsConstraints(original: string, candidate: string): boolean {
  const lower = candidate.toLowerCase();
  return constraintTerms(original).every((t) =>
    t === INPUT_PLACEHOLDER ? candidate.includes(t) : lower.includes(t),
  );
}

const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;

/**
 * Filters candidates in order; returns the kept ones and a count per rejection reason. `existing` are
 * wordings the item already has: a candidate too close to one of them is a near-duplicate too.
 * `heldOut` are evaluation wordings: a candidate too close to one of them must never reach training.
 */
export function filterParaphrases(
  original: string,
  candidates: readonly string[],
  opts: FilterOptions = DEFAULT_FILTERS,
  existing: readonly string[] = [],
  heldOut: readonly string[] = [],
): { kept: string[]; rejected: Record<Rejection, number> } {
  const rejected: Record<Rejection, number> = {
    empty: 0,
    near_duplicate: 0,
    lost_constraint: 0,
    length_outlier: 0,
    held_out: 0,
  };
  const kept: string[] = [];
  const base = wordCount(original);
  for (const raw of candidates) {
    const c = raw.trim();
    if (c === "") {
      rejected.empty++;
      continue;
    }
    const ratio = wordCount(c) / Math.max(1, base);
    if (ratio < opts.lengthRatio[0] || ratio > opts.lengthRatio[1]) {
      rejected.length_outlier++;
      continue;
    }
    if (!keepsConstraints(original, c)) {
      rejected.lost_constraint++;
      continue;
    }
    if (heldOut.some((k) => rouge(k, c).rougeL.f1 >= opts.nearDuplicate)) {
      rejected.held_out++;
      continue;
    }
    if ([original, ...existing, ...kept].some((k) => rouge(k, c).rougeL.f1 >= opts.nearDuplicate)) {
      rejected.near_duplicate++;
      continue;
    }
    kept.push(c);
  }
  return { kept, rejected };
}
