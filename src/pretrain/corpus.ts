// The pretraining corpus: documents the project generates about the world the task suite talks about
// (spellings, letters, word lengths, categories, sentences, numbers, arithmetic, boolean expressions,
// brackets), stated as facts. It holds no instructions: no commands, no questions, nothing addressed
// to a reader. Document i of seed s with the same options is always the same text, and any number
// can be drawn.

import { hashString } from "../tasks/hash-string.js";
import { createRng, type Rng } from "../util/random.js";
import { sentenceDocument, sentimentDocument } from "./sentence-facts.js";
import {
  arithmeticDocument,
  countingDocument,
  logicDocument,
  numberComparisonDocument,
} from "./symbol-facts.js";
import { alphabetDocument, categoryDocument, wordComparisonDocument, wordDocument } from "./word-facts.js";
import { lexiconWords, type WordSource, wordnetWordSource } from "./word-source.js";

export interface CorpusOptions {
  /** The fraction of documents whose words (word, comparison and category topics) are WordNet's. */
  wordnet: number;
}

type Topic = (rng: Rng, words: WordSource, seed: number, index: number) => string;

/** Topics and their weights: words and their letters most, as most task families are about them. */
const TOPICS: [Topic, number][] = [
  [wordDocument, 40],
  [wordComparisonDocument, 10],
  [alphabetDocument, 2],
  [categoryDocument, 10],
  [sentenceDocument, 12],
  [sentimentDocument, 3],
  [countingDocument, 4],
  [numberComparisonDocument, 6],
  [arithmeticDocument, 7],
  [(rng, _words, seed, index) => logicDocument(rng, seed, index), 6],
];
const TOTAL = TOPICS.reduce((a, [, w]) => a + w, 0);

export function corpusDocument(seed: number, index: number, options: CorpusOptions): string {
  const rng = createRng(hashString(`corpus\u0000${seed}\u0000${index}`));
  let roll = rng.next() * TOTAL;
  // No draw at 0, so the lexicon-only corpus (models/base's) stays as it was.
  const words = options.wordnet > 0 && rng.next() < options.wordnet ? wordnetWordSource() : lexiconWords();
  for (const [topic, weight] of TOPICS) {
    roll -= weight;
    if (roll < 0) return topic(rng, words, seed, index);
  }
  throw new Error("corpusDocument: topic weights do not add up");
}

/** Documents 0, 1, ..., count - 1 of the seed's corpus. */
export function* corpusDocuments(seed: number, count: number, options: CorpusOptions): Generator<string> {
  if (options.wordnet > 0) wordnetWordSource(); // a missing WordNet fails before the first document
  for (let i = 0; i < count; i++) yield corpusDocument(seed, i, options);
}
