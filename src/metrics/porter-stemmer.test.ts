import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runReference } from "../../test/reference/python-reference.js";
import { createRng } from "../util/random.js";
import { porterStem } from "./porter-stemmer.js";

// Expected values printed by NLTK 3.8's PorterStemmer (Debian python3-nltk).
const KNOWN: [string, string][] = [
  ["caresses", "caress"],
  ["ponies", "poni"],
  ["ties", "tie"],
  ["feed", "feed"],
  ["agreed", "agre"],
  ["motoring", "motor"],
  ["conflated", "conflat"],
  ["hopping", "hop"],
  ["falling", "fall"],
  ["filing", "file"],
  ["happy", "happi"],
  ["sky", "sky"],
  ["relational", "relat"],
  ["generalization", "gener"],
  ["electriciti", "electr"],
  ["adoption", "adopt"],
  ["controll", "control"],
  ["dying", "die"],
  ["flies", "fli"],
  ["spied", "spi"],
  ["died", "die"],
  ["enjoy", "enjoy"],
  ["1990s", "1990"],
  ["generously", "gener"],
  ["theology", "theolog"],
  ["Skies", "ski"],
  ["news", "news"],
];

test("porter stemmer: NLTK's outputs on the paper's examples and NLTK's extensions", () => {
  for (const [word, stem] of KNOWN) assert.equal(porterStem(word), stem, word);
});

const SUFFIXES = (
  "s es ies sses ss ed ied eed ing ly ness ational tional enci anci izer bli abli alli entli eli ousli " +
  "ization ation ator alism iveness fulness ousness aliti iviti biliti fulli logi icate ative alize iciti " +
  "ical ful al ance ence er ic able ible ant ement ment ent ion sion tion ou ism ate iti ous ive ize e ll y ity"
).split(" ");

/** The corpus word list plus derived forms that reach every rule, and random strings for odd shapes. */
function wordList(): string[] {
  const path = new URL("../../../test/reference/words.txt", import.meta.url);
  const corpus = readFileSync(path, "utf8").split("\n").filter(Boolean);
  const rng = createRng(7);
  const words = [...corpus];
  for (let i = 0; i < 6000; i++) {
    const base = corpus[rng.int(corpus.length)]!;
    words.push(base + SUFFIXES[rng.int(SUFFIXES.length)]!);
  }
  const letters = "aeiouyyybcdlmnrstwxz0123456789";
  for (let i = 0; i < 4000; i++) {
    let w = "";
    const len = 1 + rng.int(12);
    for (let k = 0; k < len; k++) w += letters[rng.int(letters.length)];
    words.push(w + (rng.next() < 0.5 ? SUFFIXES[rng.int(SUFFIXES.length)]! : ""));
  }
  for (let i = 0; i < 500; i++) {
    const w = corpus[rng.int(corpus.length)]!;
    words.push(w[0]!.toUpperCase() + w.slice(1));
  }
  return [...new Set(words)];
}

test("porter stemmer: agrees with NLTK word by word on a large word list", (t) => {
  const words = wordList();
  const ref = runReference({ stem: words });
  if (typeof ref === "string") {
    t.skip(`reference unavailable: ${ref}`);
    return;
  }
  const mismatches: string[] = [];
  words.forEach((w, i) => {
    const got = porterStem(w);
    if (got !== ref.stem[i]) mismatches.push(`${w}: calign ${got}, NLTK ${ref.stem[i]}`);
  });
  t.diagnostic(`NLTK ${ref.nltk}: ${words.length - mismatches.length}/${words.length} words agree`);
  assert.deepEqual(mismatches.slice(0, 20), []);
  assert.ok(words.length > 40_000);
});
