// Where the corpus's word documents take their words from: the task lexicon (the words the tasks ask
// about; models/base's corpus) or WordNet's real English words (wordnet-words.ts), which the corpus
// option `corpus.wordnet` mixes in so that letter skills are learned over thousands of words.
import { lexicon, vocabulary } from "../tasks/lexicon.js";
import { pick, pickDistinct } from "../tasks/pick.js";
import type { Rng } from "../util/random.js";
import { wordnetWords } from "./wordnet-words.js";

export interface WordSource {
  /** The word a word document is about. */
  someWord(rng: Rng): string;
  /** The words that comparisons (lengths, alphabetical order, letters) draw from. */
  comparable: readonly string[];
  /** Category → its members; a word is in one category at most. */
  categories: Readonly<Record<string, readonly string[]>>;
  categoryOf(word: string): string | undefined;
  /** n distinct elements of a list, in random order. */
  pickDistinct<T>(rng: Rng, list: readonly T[], n: number): T[];
}

function categoryLookup(categories: Record<string, readonly string[]>) {
  const of = new Map(Object.entries(categories).flatMap(([c, words]) => words.map((w) => [w, c] as const)));
  return (word: string) => of.get(word);
}

/** n distinct elements by a partial Fisher-Yates shuffle: n draws, whatever the list's length. */
export function sampleDistinct<T>(rng: Rng, list: readonly T[], n: number): T[] {
  const swapped = new Map<number, number>();
  const out: T[] = [];
  for (let i = 0; i < Math.min(n, list.length); i++) {
    const j = i + rng.int(list.length - i);
    out.push(list[swapped.get(j) ?? j]!);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out;
}

let lexiconSource: WordSource | undefined;

/** Mostly the task words (the categories), sometimes any other word of the lexicon. Draws as
 * models/base's corpus did (pickDistinct shuffles the whole list), so that corpus is reproduced. */
export function lexiconWords(): WordSource {
  if (lexiconSource !== undefined) return lexiconSource;
  const lex = lexicon();
  const others = [
    ...lex.names,
    ...lex.verbs,
    ...lex.adjectives,
    ...lex.places,
    ...lex.sentiment.positive,
    ...lex.sentiment.negative,
  ];
  lexiconSource = {
    someWord: (rng) => (rng.next() < 0.9 ? pick(rng, vocabulary()) : pick(rng, others)),
    comparable: vocabulary(),
    categories: lex.categories,
    categoryOf: categoryLookup(lex.categories),
    pickDistinct,
  };
  return lexiconSource;
}

let wordnetSource: WordSource | undefined;

/** Any of WordNet's words; the categories are the lexicon's with WordNet's members added (the two
 * never disagree: wordnet-words.test.ts). Reads WordNet on first use. */
export function wordnetWordSource(): WordSource {
  if (wordnetSource !== undefined) return wordnetSource;
  const { words, categories: wordnet } = wordnetWords();
  const categories = Object.fromEntries(
    Object.entries(lexicon().categories).map(([c, own]) => [
      c,
      [...new Set([...own, ...wordnet[c]!])].sort(),
    ]),
  );
  wordnetSource = {
    someWord: (rng) => pick(rng, words),
    comparable: words,
    categories,
    categoryOf: categoryLookup(categories),
    pickDistinct: sampleDistinct,
  };
  return wordnetSource;
}
