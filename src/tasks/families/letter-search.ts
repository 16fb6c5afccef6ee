// Families about letters inside a word: the letter at a given position, how often a given letter occurs.
import { vocabulary } from "../lexicon.js";
import { pick } from "../pick.js";
import { ordinal, spaced, times } from "../spelling.js";
import { defineFamily } from "../task-family.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** A word and a position in it, counted from 1. This family replaced `words-with-letter` and
 * `words-without-letter` (which of three words contain or lack a letter): the demo's base model cannot
 * tell whether a letter occurs in a word, even with the word spelled out before it, so plain SFT and
 * SFT(IA) stayed at 9-21 % on them, about chance (docs/tasks.md). The corpus states the letter at each position (`The third letter of
 * apricot is r.`), and the work is that sentence. */
export const letterAtPosition = defineFamily({
  name: "letter-at-position",
  description: "The letter at a given position of a word, counting from 1.",
  make(rng) {
    const word = pick(rng, vocabulary());
    const at = rng.int(word.length);
    return {
      input: `Word: ${word}\nPosition: ${at + 1}`,
      answer: word[at]!,
      work: `The ${ordinal(at)} letter of ${word} is ${word[at]}.`,
    };
  },
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
