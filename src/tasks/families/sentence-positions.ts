// Families about word positions in a sentence: the neighbour of a given word, and the word count.
import type { Rng } from "../../util/random.js";
import { pick } from "../pick.js";
import { randomSentence } from "../sentence.js";
import { defineFamily, type Instance } from "../task-family.js";

/** A word that occurs once in the sentence and has a neighbour at `offset` (+1 after, -1 before); the
 * work is the corpus's sentence naming that neighbour. */
function neighbour(rng: Rng, offset: 1 | -1): Instance {
  const sentence = randomSentence(rng, "plain");
  const words = sentence.split(" ");
  const candidates = words
    .map((_, i) => i)
    .filter(
      (i) => words.indexOf(words[i]!) === words.lastIndexOf(words[i]!) && words[i + offset] !== undefined,
    );
  const at = pick(rng, candidates);
  const answer = words[at + offset]!;
  const side = offset === 1 ? "after" : "before";
  return {
    input: `Sentence: ${sentence}\nWord: ${words[at]}`,
    answer,
    work: `In "${sentence}", the word ${side} ${words[at]} is ${answer}.`,
  };
}

export const wordAfter = defineFamily({
  name: "word-after",
  description: "The word that comes right after a given word in a short sentence.",
  make: (rng) => neighbour(rng, 1),
});

export const wordBefore = defineFamily({
  name: "word-before",
  description: "The word that comes right before a given word in a short sentence.",
  make: (rng) => neighbour(rng, -1),
});

export const countWords = defineFamily({
  name: "count-words",
  description: "How many words a short sentence has.",
  make(rng) {
    const sentence = randomSentence(rng, "plain");
    return { input: sentence, answer: String(sentence.split(" ").length) };
  },
});
