// Families about word positions in a sentence: the neighbour of a given word, the word at a given
// position, and the word count.
import type { Rng } from "../../util/random.js";
import { pick } from "../pick.js";
import { randomSentence } from "../sentence.js";
import { ordinal } from "../spelling.js";
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

/** A sentence and the position of a word in it, counted from 1; the work is the corpus's sentence naming the word
 * there (`The fourth word of "…" is …`). With `letter-at-position`, it replaced the letter-filtering
 * families (see there). */
export const wordAtPosition = defineFamily({
  name: "word-at-position",
  description: "The word at a given position of a short sentence, counting from 1.",
  make(rng) {
    const sentence = randomSentence(rng, "plain");
    const words = sentence.split(" ");
    // A word that occurs once, so the answer names one position, and repeated "the" does not become
    // the majority answer.
    const at = pick(
      rng,
      words.map((_, i) => i).filter((i) => words.indexOf(words[i]!) === words.lastIndexOf(words[i]!)),
    );
    return {
      input: `Sentence: ${sentence}\nPosition: ${at + 1}`,
      answer: words[at]!,
      work: `The ${ordinal(at)} word of "${sentence}" is ${words[at]}.`,
    };
  },
});

export const countWords = defineFamily({
  name: "count-words",
  description: "How many words a short sentence has.",
  make(rng) {
    const sentence = randomSentence(rng, "plain");
    return { input: sentence, answer: String(sentence.split(" ").length) };
  },
});
