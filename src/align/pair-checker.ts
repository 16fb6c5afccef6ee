// The preference pairs against the checker: what stage 2 actually teaches. A self-reward can prefer a
// wrong answer to a right one, or choose between two wrong answers (agreement pays the answer the
// wordings share, right or wrong), and judge health's figures over single candidates do not show
// how often that reaches the pairs. Where the items have references, these shares do.
import { type AnswerOf, exactMatchQuality } from "../metrics/index.js";
import type { PreferenceRecord } from "./pairs.js";

/** Shares of the pairs whose items have references, by the checker's verdict (normalised exact match). */
export interface PairChecker {
  /** Pairs whose items have references: the shares below are of these. */
  checked: number;
  chosenCorrect: number;
  rejectedCorrect: number;
  /** Chosen right over rejected wrong: the pairs that teach the right answer. */
  rightOverWrong: number;
  /** Chosen wrong over rejected right: the pairs that teach a wrong answer. */
  wrongOverRight: number;
  /** Both wrong: a preference between two wrong answers. */
  bothWrong: number;
  /** Both right (two right answers worded differently). */
  bothRight: number;
}

/** The pairs' checker shares over their answers (`answerOf` the responses), or null when no pair's item has references. */
export function pairChecker(
  pairs: readonly Pick<PreferenceRecord, "id" | "chosen" | "rejected">[],
  references: ReadonlyMap<string, readonly string[]>,
  answerOf: AnswerOf,
): PairChecker | null {
  const counts = { chosen: 0, rejected: 0, rightOverWrong: 0, wrongOverRight: 0, bothWrong: 0, bothRight: 0 };
  let checked = 0;
  for (const p of pairs) {
    const refs = references.get(p.id) ?? [];
    if (refs.length === 0) continue;
    checked++;
    const chosen = exactMatchQuality(refs, answerOf(p.chosen)) === 1;
    const rejected = exactMatchQuality(refs, answerOf(p.rejected)) === 1;
    if (chosen) counts.chosen++;
    if (rejected) counts.rejected++;
    if (chosen && !rejected) counts.rightOverWrong++;
    else if (!chosen && rejected) counts.wrongOverRight++;
    else if (chosen) counts.bothRight++;
    else counts.bothWrong++;
  }
  if (checked === 0) return null;
  const share = (n: number) => n / checked;
  return {
    checked,
    chosenCorrect: share(counts.chosen),
    rejectedCorrect: share(counts.rejected),
    rightOverWrong: share(counts.rightOverWrong),
    wrongOverRight: share(counts.wrongOverRight),
    bothWrong: share(counts.bothWrong),
    bothRight: share(counts.bothRight),
  };
}
