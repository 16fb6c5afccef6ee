// Corpus documents about sentences: short stories from the task suite's sentence templates, then facts
// about them (word counts, which word comes before or after another, the animal, number or sentiment
// word they contain), and the sentiment lexicon itself.

import { lexicon } from "../tasks/lexicon.js";
import { between, joinList, pick, pickDistinct } from "../tasks/pick.js";
import { fillTemplate, randomSentence } from "../tasks/sentence.js";
import { ordinal } from "../tasks/spelling.js";
import type { Rng } from "../util/random.js";
import { factList, lineOrSpace } from "./fact-list.js";

type Kind = "plain" | "animal" | "sentiment" | "number";

/** A sentence of a template kind, with the word that makes it that kind (if any). */
function sentence(rng: Rng, kind: Kind): { text: string; key: string | undefined } {
  const lex = lexicon();
  const templates = lex.templates[kind];
  if (kind === "animal") {
    const key = pick(rng, lex.categories.animal!);
    return { text: fillTemplate(rng, pick(rng, templates), { ANIMAL: key }), key };
  }
  if (kind === "sentiment") {
    const key = pick(rng, [...lex.sentiment.positive, ...lex.sentiment.negative]);
    return { text: fillTemplate(rng, pick(rng, templates), { SENT: key }), key };
  }
  if (kind === "number") {
    const key = String(between(rng, 2, 999));
    return { text: fillTemplate(rng, pick(rng, templates), { NUM: key }), key };
  }
  return { text: randomSentence(rng, "plain"), key: undefined };
}

function polarity(word: string): string {
  return lexicon().sentiment.positive.includes(word) ? "positive" : "negative";
}

function sentenceFact(rng: Rng, kind: Kind, text: string, key: string | undefined): string {
  const words = text.split(" ");
  const q = `"${text}"`;
  // A neighbour fact names a word that occurs once, so "the word after x" has one answer.
  const once = (w: string) => words.indexOf(w) === words.lastIndexOf(w);
  const pairs = words.slice(1).flatMap((_, i) => (once(words[i]!) && once(words[i + 1]!) ? [i] : []));
  const i = pairs.length > 0 ? pick(rng, pairs) : -1;
  const j = rng.int(words.length);
  const facts = [
    () => pick(rng, [`${q} has ${words.length} words.`, `There are ${words.length} words in ${q}.`]),
  ];
  if (i >= 0)
    facts.push(() =>
      pick(rng, [
        `In ${q}, the word after ${words[i]} is ${words[i + 1]}.`,
        `In ${q}, the word before ${words[i + 1]} is ${words[i]}.`,
        `In ${q}, ${words[i + 1]} comes right after ${words[i]}.`,
      ]),
    );
  facts.push(
    () => `The ${ordinal(j)} word of ${q} is ${words[j]}.`,
    () => `The last word of ${q} is ${words.at(-1)}.`,
  );
  if (key !== undefined && kind === "animal") facts.push(() => `The animal in ${q} is ${key}.`);
  if (key !== undefined && kind === "number") facts.push(() => `The number in ${q} is ${key}.`);
  if (key !== undefined && kind === "sentiment")
    facts.push(() => `${q} is ${polarity(key)}, because ${key} is a ${polarity(key)} word.`);
  return pick(rng, facts)();
}

/** A few sentences as a short text, or one sentence and facts about it. */
export function sentenceDocument(rng: Rng): string {
  const kind = pick(rng, ["plain", "plain", "animal", "sentiment", "number"] as const);
  if (rng.next() < 0.3)
    return `${factList(between(rng, 2, 5), () => sentence(rng, pick(rng, ["plain", "animal", "sentiment", "number"] as const)).text).join(". ")}.`;
  const { text, key } = sentence(rng, kind);
  if (rng.next() < 0.3) {
    const words = text.split(" ");
    return [
      `Sentence: ${text}`,
      `Words: ${words.length}`,
      `First word: ${words[0]}`,
      `Last word: ${words.at(-1)}`,
    ].join("\n");
  }
  return factList(between(rng, 2, 4), () => sentenceFact(rng, kind, text, key)).join(lineOrSpace(rng));
}

/** The sentiment lexicon: which words are positive and which negative. */
export function sentimentDocument(rng: Rng): string {
  const { positive, negative } = lexicon().sentiment;
  const facts = factList(between(rng, 2, 4), () => {
    const word = pick(rng, [...positive, ...negative]);
    return pick(rng, [
      `${word} is a ${polarity(word)} word.`,
      `Positive words: ${joinList(pickDistinct(rng, positive, 4))}.`,
      `Negative words: ${joinList(pickDistinct(rng, negative, 4))}.`,
      `Something ${word} is ${polarity(word) === "positive" ? "good" : "bad"}.`,
    ]);
  });
  return facts.join(lineOrSpace(rng));
}
