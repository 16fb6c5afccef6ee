// Extraction and lexicon-based classification of a sentence: the animal it names, its sentiment, its number.
import { lexicon } from "../lexicon.js";
import { between, pick } from "../pick.js";
import { fillTemplate } from "../sentence.js";
import { defineFamily } from "../task-family.js";

export const findAnimal = defineFamily({
  name: "find-animal",
  description: "The one animal named in a short sentence.",
  make(rng) {
    const animal = pick(rng, lexicon().categories.animal!);
    return {
      input: fillTemplate(rng, pick(rng, lexicon().templates.animal), { ANIMAL: animal }),
      answer: animal,
    };
  },
});

export const sentiment = defineFamily({
  name: "sentiment",
  description: 'Whether a sentence with one word from the sentiment lexicon is "positive" or "negative".',
  options: 2,
  make(rng) {
    const polarity = rng.next() < 0.5 ? "positive" : "negative";
    const word = pick(rng, lexicon().sentiment[polarity]);
    const input = fillTemplate(rng, pick(rng, lexicon().templates.sentiment), { SENT: word });
    return { input, answer: polarity, work: `"${input}" is ${polarity}.` };
  },
});

export const extractNumber = defineFamily({
  name: "extract-number",
  description: "The number written in digits in a short sentence.",
  make(rng) {
    const number = String(between(rng, 2, 999));
    return {
      input: fillTemplate(rng, pick(rng, lexicon().templates.number), { NUM: number }),
      answer: number,
    };
  },
});
