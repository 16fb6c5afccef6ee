// Families about one given letter inside words: which words have it, which lack it, how often it occurs.
import type { Rng } from "../../util/random.js";
import { vocabulary } from "../lexicon.js";
import { drawUntil, joinList, pick, pickDistinct } from "../pick.js";
import { spaced, times } from "../spelling.js";
import { defineFamily, type Instance } from "../task-family.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** A letter and three words, at least one with the letter and one without; the answer keeps input order.
 * Three, not four: with four words the demo's base model stayed at 0-3 % for every system. The work is
 * the corpus's sentence about which of the words contain (or lack) the letter. */
function filterByLetter(rng: Rng, keep: boolean): Instance {
  const { letter, words } = drawUntil(
    rng,
    (r) => ({ letter: pick(r, [..."aeioulnrst"]), words: pickDistinct(r, vocabulary(), 3) }),
    ({ letter, words }) => {
      const hits = words.filter((w) => w.includes(letter)).length;
      return hits > 0 && hits < words.length;
    },
  );
  const answer = joinList(words.filter((w) => w.includes(letter) === keep));
  return {
    input: `Letter: ${letter}\nWords: ${joinList(words)}`,
    answer,
    work: `Of ${joinList(words)}, those ${keep ? "containing" : "lacking"} ${letter} are ${answer}.`,
  };
}

export const wordsWithLetter = defineFamily({
  name: "words-with-letter",
  description: "Of three words, those that contain a given letter, comma-separated in their original order.",
  make: (rng) => filterByLetter(rng, true),
});

export const wordsWithoutLetter = defineFamily({
  name: "words-without-letter",
  description:
    "Of three words, those that do not contain a given letter, comma-separated in their original order.",
  make: (rng) => filterByLetter(rng, false),
});

export const countLetterOccurrences = defineFamily({
  name: "count-letter-occurrences",
  description: "How many times a given letter occurs in a word (possibly zero).",
  make(rng) {
    const word = pick(rng, vocabulary());
    // Mostly a letter of the word, sometimes one it lacks, so zero is a possible answer.
    const absent = [...LETTERS].filter((l) => !word.includes(l));
    const letter = rng.next() < 0.8 ? pick(rng, [...word]) : pick(rng, absent);
    const count = [...word].filter((l) => l === letter).length;
    const occurs =
      count === 0
        ? `The letter ${letter} does not occur in ${word}.`
        : `The letter ${letter} occurs ${times(count)} in ${word}.`;
    return {
      input: `Letter: ${letter}\nWord: ${word}`,
      answer: String(count),
      work: `${word} is spelled ${spaced(word)}. ${occurs}`,
    };
  },
});
