// The answer inside a response that works its way to it ("apricot is a kind of fruit.\nAnswer: fruit"),
// found by a regular expression as lm-evaluation-harness's regex filter finds it: the last match, its
// first capture group if it has one. Every figure that compares answers (exact match, CR, input
// sensitivity, the checker) then compares answers, not the working. A response the pattern does not
// match is taken whole, so the pattern costs nothing on a model that answers directly.
import type { ParaphraseGroup } from "../data/group.js";

/** A response's answer. */
export type AnswerOf = (response: string) => string;

/** The whole response: no pattern. */
export const wholeResponse: AnswerOf = (response) => response;

/**
 * The answer by `pattern` (JavaScript regular expression syntax; null: the whole response): the last
 * match's first capture group (the whole match without one), trimmed. Throws a SyntaxError naming the
 * pattern when it is not a regular expression or can match the empty string (it would match anywhere).
 */
export function answerPattern(pattern: string | null): AnswerOf {
  if (pattern === null) return wholeResponse;
  let re: RegExp;
  try {
    re = new RegExp(pattern, "g");
  } catch (err) {
    throw new SyntaxError(`answer pattern /${pattern}/: ${(err as Error).message}`);
  }
  if (re.test("")) throw new SyntaxError(`answer pattern /${pattern}/ matches the empty string`);
  return (response) => {
    let last: RegExpExecArray | undefined;
    for (const m of response.matchAll(re)) last = m;
    if (last === undefined) return response;
    return (last.length > 1 ? (last[1] ?? "") : last[0]).trim();
  };
}

/** The groups with every response replaced by its answer (responses stay where none was given). */
export function withAnswers(groups: readonly ParaphraseGroup[], answerOf: AnswerOf): ParaphraseGroup[] {
  if (answerOf === wholeResponse) return [...groups];
  return groups.map((g) => ({
    ...g,
    variants: g.variants.map((v) =>
      v.response === undefined ? v : { ...v, response: answerOf(v.response) },
    ),
  }));
}
