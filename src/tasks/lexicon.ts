// The suite's own word lists (data/tasks/lexicon.json), read once on first use.
import { readDataFile } from "./data-file.js";

export interface Lexicon {
  categories: Record<string, string[]>;
  sentiment: { positive: string[]; negative: string[] };
  names: string[];
  verbs: string[];
  adjectives: string[];
  places: string[];
  prepositions: string[];
  templates: Record<"plain" | "animal" | "sentiment" | "number", string[]>;
}

let cached: Lexicon | undefined;

export function lexicon(): Lexicon {
  cached ??= readDataFile("lexicon.json") as Lexicon;
  return cached;
}

/** Every category word: the vocabulary of the word tasks. */
export function vocabulary(): string[] {
  return Object.values(lexicon().categories).flat();
}
