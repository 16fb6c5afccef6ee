// Families that map one word to a letter, a number or a rewritten word.
import type { Rng } from "../../util/random.js";
import { vocabulary } from "../lexicon.js";
import { pick } from "../pick.js";
import { spaced } from "../spelling.js";
import { defineFamily, type TaskFamily } from "../task-family.js";

function wordFamily(
  name: string,
  description: string,
  answer: (word: string) => string,
  show: (word: string) => string = (word) => word,
  work?: (word: string) => string,
): TaskFamily {
  return defineFamily({
    name,
    description,
    make(rng: Rng) {
      const word = pick(rng, vocabulary());
      return { input: show(word), answer: answer(word), ...(work ? { work: work(word) } : {}) };
    },
  });
}

export const firstLetter = wordFamily("first-letter", "The first letter of a word.", (w) => w[0]!);
export const lastLetter = wordFamily("last-letter", "The last letter of a word.", (w) => w.at(-1)!);
export const countLetters = wordFamily(
  "count-letters",
  "How many letters a word has.",
  (w) => String(w.length),
  undefined,
  (w) => `${w} is spelled ${spaced(w)}. ${w} has ${w.length} letters.`,
);
export const reverseWord = wordFamily("reverse-word", "A word spelled backwards.", (w) =>
  [...w].reverse().join(""),
);
export const uppercase = wordFamily("uppercase", "A lowercase word rewritten in capital letters.", (w) =>
  w.toUpperCase(),
);
export const lowercase = wordFamily(
  "lowercase",
  "A word in capital letters rewritten in lowercase.",
  (w) => w,
  (w) => w.toUpperCase(),
);
