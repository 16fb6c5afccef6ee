// Real English words for the pretraining corpus, from WordNet 3.1 (wordnet-database.ts): a word list
// for the letter facts (spelling, backwards, capitals, lengths, letter counts, comparisons) and, for
// each of the task lexicon's nine categories, the WordNet words whose most frequent sense is a kind of
// it. Built once per process, sorted, so the corpus stays a pure function of its seed and options.
//
// A word is a lemma of any part of speech that is
//   - one word of 3 to 12 letters a-z, written in lowercase in at least one synset (so a common word:
//     a lemma only ever written with a capital, "paris", is a proper noun and left out);
//   - known: tagged in SemCor at least once, or used in the glosses (definitions and examples) of
//     WordNet itself, which drops rare terms of zoology and chemistry ("thysanopter");
//   - not offensive: in no synset marked as a disparagement, obscenity or ethnic slur, or glossed as
//     an offensive, obscene, vulgar or disparaging term, and not one of the few slurs WordNet leaves
//     unmarked (every word of such a synset goes, "tool" with the obscene one: a small loss);
//   - not a word of any task wording as they were when models/base's corpus was drawn
//     (data/tasks/corpus-excluded-words.json), nor addressed to a reader ("answer", "letter", "please"):
//     the corpus must never hold a wording's phrase or open a sentence with a command (corpus.test.ts).
// Its category comes from its most frequent noun senses: those written in lowercase with the highest
// SemCor tag count (ties all count: WordNet orders untagged senses arbitrarily, so "hammer", whose
// gunlock and tool senses are tagged twice each, is a tool). If those senses lie under the roots of
// exactly one category, the word is of that category; under two ("blue": the colour and the uniform)
// or none ("table": the one of data), it has no category.
import { readDataFile } from "../tasks/data-file.js";
import { readWordNet, type WordNetDatabase, wordnetDictPath } from "./wordnet-database.js";

/** Each category's root synsets, named as NLTK names them (`lemma.n.N`: the N-th noun sense). */
export const CATEGORY_ROOTS: Record<string, string[]> = {
  animal: ["animal.n.01"],
  fruit: ["edible_fruit.n.01"],
  color: ["chromatic_color.n.01", "achromatic_color.n.01"],
  vegetable: ["vegetable.n.01"],
  tool: ["tool.n.01"],
  // Vehicles and public transport ("bus", "train").
  vehicle: ["conveyance.n.03"],
  // Shoes are footgear, a covering, not clothing in WordNet.
  clothing: ["clothing.n.01", "footwear.n.02"],
  instrument: ["musical_instrument.n.01"],
  furniture: ["furniture.n.01"],
};

export interface WordNetWords {
  /** Sorted. */
  words: string[];
  /** Category name → its words, sorted; a word is in one category at most. */
  categories: Record<string, string[]>;
}

const WORD = /^[a-z]{3,12}$/;
const OFFENSIVE_GLOSS =
  /offensive (term|name|word|slang)|\bobscene|\bvulgar|\bslur\b|disparaging|derogatory/i;
const OFFENSIVE_USAGE = ["disparagement.n.01", "obscenity.n.02", "ethnic_slur.n.01"];
const UNMARKED_SLURS = ["bitch", "coon", "homo", "negro", "retard", "slut", "whore"];
const ADDRESSING = ["you", "your", "yours", "please", "thanks"];

/** The words of the task wordings models/base's corpus was drawn with, and the words that address a
 * reader. Frozen in a data file, not read from today's wordings: changing a wording would otherwise move
 * this list and with it most WordNet documents of the corpus, which models/base's recipe must reproduce. */
function excludedWords(): Set<string> {
  const { words } = readDataFile("corpus-excluded-words.json") as { words: string[] };
  return new Set([...ADDRESSING, ...words]);
}

function isKnown(db: WordNetDatabase, glossWords: Set<string>, lemma: string): boolean {
  if (glossWords.has(lemma)) return true;
  return Object.values(db.index).some((index) => (index.get(lemma)?.tagsenseCount ?? 0) > 0);
}

/** The lemmas written in lowercase in some synset, those in an offensive synset, and gloss words. */
function scanSynsets(db: WordNetDatabase) {
  const lowercase = new Set<string>();
  const offensive = new Set(UNMARKED_SLURS);
  const offensiveUsage = new Set(OFFENSIVE_USAGE.map((name) => nounOffset(db, name)));
  const glossWords = new Set<string>();
  for (const synsets of Object.values(db.synsets))
    for (const { words, gloss, usage } of synsets.values()) {
      for (const w of words) if (WORD.test(w)) lowercase.add(w);
      if (OFFENSIVE_GLOSS.test(gloss) || usage.some((u) => offensiveUsage.has(u)))
        for (const w of words) offensive.add(w.toLowerCase());
      for (const w of gloss.match(/[a-z]+/g) ?? []) glossWords.add(w);
    }
  return { lowercase, offensive, glossWords };
}

/** The synsets under each category's roots (the roots included), by hypernym closure. */
function categoryOfSynset(db: WordNetDatabase): Map<string, string[]> {
  const hyponyms = new Map<string, string[]>();
  for (const [offset, { hypernyms }] of db.synsets.noun)
    for (const h of hypernyms) {
      if (!hyponyms.has(h)) hyponyms.set(h, []);
      hyponyms.get(h)!.push(offset);
    }
  const out = new Map<string, string[]>();
  for (const [category, roots] of Object.entries(CATEGORY_ROOTS)) {
    const stack = roots.map((name) => nounOffset(db, name));
    const seen = new Set<string>();
    for (let offset = stack.pop(); offset !== undefined; offset = stack.pop()) {
      if (seen.has(offset)) continue;
      seen.add(offset);
      out.set(offset, [...(out.get(offset) ?? []), category]);
      stack.push(...(hyponyms.get(offset) ?? []));
    }
  }
  return out;
}

function nounOffset(db: WordNetDatabase, name: string): string {
  const [lemma, , n] = name.split(".");
  const sense = db.index.noun.get(lemma!)?.senses[Number(n) - 1];
  if (sense === undefined) throw new Error(`WordNet has no synset ${name}`);
  return sense.offset;
}

/** The one category of the word's most frequent lowercase noun senses, if they have one. */
function categoryOfWord(db: WordNetDatabase, under: Map<string, string[]>, lemma: string) {
  const senses = (db.index.noun.get(lemma)?.senses ?? []).filter((s) =>
    db.synsets.noun.get(s.offset)!.words.includes(lemma),
  );
  const top = Math.max(...senses.map((s) => s.tagCount));
  const categories = new Set(
    senses.filter((s) => s.tagCount === top).flatMap((s) => under.get(s.offset) ?? []),
  );
  return categories.size === 1 ? [...categories][0] : undefined;
}

/** The words and categories of a WordNet database. */
export function selectWords(db: WordNetDatabase): WordNetWords {
  const { lowercase, offensive, glossWords } = scanSynsets(db);
  const excluded = excludedWords();
  const words = [...lowercase]
    .filter((w) => !offensive.has(w) && !excluded.has(w) && isKnown(db, glossWords, w))
    .sort();
  const under = categoryOfSynset(db);
  const categories: Record<string, string[]> = Object.fromEntries(
    Object.keys(CATEGORY_ROOTS).map((c) => [c, []]),
  );
  for (const w of words) {
    const category = categoryOfWord(db, under, w);
    if (category !== undefined) categories[category]!.push(w);
  }
  return { words, categories };
}

let cached: WordNetWords | undefined;

/** The installed WordNet's words and categories, read on first use. */
export function wordnetWords(): WordNetWords {
  cached ??= selectWords(readWordNet(wordnetDictPath()));
  return cached;
}
