// The tokenizers ROUGE (and everything built on it) can use: rouge-score's default one, faithful to the
// character, and an opt-in Unicode-aware one, because the default drops every non-[a-z0-9] character and
// so scores non-English text 0.
import { porterStem } from "./porter-stemmer.js";

export type RougeTokenizerName = "default" | "unicode";

export interface RougeTokenizeOptions {
  /** Porter-stem ASCII tokens longer than 3 characters (rouge-score's `use_stemmer`). */
  stem: boolean;
  tokenizer: RougeTokenizerName;
}

const ASCII_TOKEN = /^[a-z0-9]+$/;

// Stemming only tokens longer than 3 characters is rouge-score's rule, kept for both tokenizers.
function maybeStem(token: string, stem: boolean): string {
  return stem && token.length > 3 && ASCII_TOKEN.test(token) ? porterStem(token) : token;
}

/** rouge-score `tokenize.tokenize`: lowercase, non-[a-z0-9] runs to a space, split, stem, keep [a-z0-9]+. */
function defaultTokens(text: string, stem: boolean): string[] {
  const out: string[] = [];
  for (const raw of text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")) {
    if (raw.length === 0) continue;
    out.push(maybeStem(raw, stem));
  }
  return out;
}

// Scripts written without spaces between words: each character is a token, as character-level ROUGE does
// for Chinese and Japanese. Combining marks stay with their base character.
const NO_SPACE =
  "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}";
const UNICODE_TOKEN = new RegExp(`[${NO_SPACE}]\\p{M}*|(?:(?![${NO_SPACE}])[\\p{L}\\p{M}\\p{N}])+`, "gu");

/** NFKC, lowercase, tokens = runs of letters, marks and digits (single characters in unspaced scripts). */
function unicodeTokens(text: string, stem: boolean): string[] {
  const out: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(UNICODE_TOKEN)) {
    out.push(maybeStem(match[0], stem));
  }
  return out;
}

export function rougeTokenize(text: string, options: RougeTokenizeOptions): string[] {
  return options.tokenizer === "unicode"
    ? unicodeTokens(text, options.stem)
    : defaultTokens(text, options.stem);
}

/**
 * A tokenizer that remembers recent texts: consistency compares every response with every other one of
 * its item, and quality every response with the same references, so each text is tokenized once.
 */
export function cachedRougeTokenizer(options: RougeTokenizeOptions, size = 4096): (text: string) => string[] {
  const cache = new Map<string, string[]>();
  return (text) => {
    let tokens = cache.get(text);
    if (tokens === undefined) {
      tokens = rougeTokenize(text, options);
      if (cache.size >= size) cache.clear();
      cache.set(text, tokens);
    }
    return tokens;
  };
}
