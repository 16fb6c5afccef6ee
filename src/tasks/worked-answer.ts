// Worked answers: a training target that first states, as the pretraining corpus states such facts, what
// the answer follows from ("kiwi has 4 letters and banana has 6"), then gives the answer on a line of its
// own. A small model that cannot compute the answer in one step can often state the facts and read the
// answer off them (docs/pretrain.md, "Worked answers"). The answer pattern finds the answer again
// wherever answers are compared (metrics/answer-pattern.ts).
// Families with a twin that asks the other thing of the same kind of input (more/fewer letters, the
// word after/before, one letter's count next to all letters') open their work by naming what is asked
// and name it again just before the choice: a character-level model then tells the twins apart right
// after the instruction and reads that back a few characters before it chooses. With the choice only at
// the end of the facts, the demo's plain SFT often gave the twin's answer even under its training
// wordings (docs/tasks.md, "Worked answers").

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
