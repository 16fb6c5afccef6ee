// The input of the augment-across-ranks test: groups whose instructions repeat, and a paraphraser whose
// answers depend only on what it is asked (instruction, count, seed), recording each instruction asked.
import type { ParaphraseSource } from "../../src/align/paraphrase-source.js";
import type { ParaphraseGroup } from "../../src/data/index.js";

const group = (id: string, instruction: string): ParaphraseGroup => ({
  id,
  task: "t",
  instruction,
  input: "x",
  variants: [{ text: instruction, origin: "original" }],
  references: ["y"],
});

/** 6 groups, 4 distinct instructions (two are used twice). */
export const AUGMENT_GROUPS: ParaphraseGroup[] = [
  group("a", "Reverse the word."),
  group("b", "Spell the word backwards."),
  group("c", "Reverse the word."),
  group("d", "Count the letters of the word."),
  group("e", "Name the first letter."),
  group("f", "Count the letters of the word."),
];

export const AUGMENT_OPTIONS = { n: 2, seed: 7, origin: "model" } as const;

const OPENINGS = ["Please", "Kindly", "Now", "Go ahead and", "Quickly"];

export function recordingSource(asked: string[]): ParaphraseSource {
  return async (instruction, n, seed) => {
    asked.push(instruction);
    const body = instruction.toLowerCase().replace(/\.$/, "");
    return Array.from(
      { length: n },
      (_, i) => `${OPENINGS[(seed + i) % OPENINGS.length]} ${body}, ${"step ".repeat(i)}now.`,
    );
  };
}
