// Worked answers: a training target that first states, as the pretraining corpus states such facts, what
// the answer follows from ("kiwi has 4 letters and banana has 6, so kiwi is the shorter word."), then
// gives the answer on a line of its own. A small model that cannot compute the answer in one step can
// often state the facts and read the answer off them (docs/pretrain.md, "Worked answers"). The answer
// pattern finds the answer again wherever answers are compared (metrics/answer-pattern.ts).

/** The line that gives the answer: what a worked answer ends with. */
const ANSWER_PREFIX = "Answer: ";

/** The answer pattern of worked answers (`answer_pattern`): the rest of the last "Answer:" line. */
export const WORKED_ANSWER_PATTERN = `${ANSWER_PREFIX.trim()} *(.*)`;

/** The training target of an instance whose family works its answer out; its answer alone otherwise. */
export function workedTarget(instance: { answer: string; work?: string }): string {
  return instance.work === undefined
    ? instance.answer
    : `${instance.work}\n${ANSWER_PREFIX}${instance.answer}`;
}
