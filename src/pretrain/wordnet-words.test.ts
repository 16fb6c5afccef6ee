// WordNet's words and categories for the corpus: known words in, proper nouns, offensive words and
// the task wordings' words (as they were when models/base's corpus was drawn) out, and categories that
// agree with the task lexicon's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readDataFile } from "../tasks/data-file.js";
import { listFamilies } from "../tasks/index.js";
import { lexicon } from "../tasks/lexicon.js";
import { readWordNet, wordnetDictPath } from "./wordnet-database.js";
import { CATEGORY_ROOTS, wordnetWords } from "./wordnet-words.js";

const { words, categories } = wordnetWords();
const wordSet = new Set(words);
const categoryOf = new Map(Object.entries(categories).flatMap(([c, ws]) => ws.map((w) => [w, c] as const)));

test("tens of thousands of sorted lowercase words, 3-12 letters, no proper nouns", () => {
  assert.ok(words.length > 25_000 && words.length < 45_000, `${words.length} words`);
  assert.deepEqual(words, [...wordSet].sort());
  for (const w of words) assert.match(w, /^[a-z]{3,12}$/);
  for (const w of ["heron", "hammer", "violin", "river", "quickly", "happy", "swim", "cathedral"])
    assert.ok(wordSet.has(w), w);
  // Only ever written with a capital in WordNet: proper nouns.
  for (const w of ["paris", "london", "einstein", "monday", "january"]) assert.ok(!wordSet.has(w), w);
  // A rare zoological term: never tagged in SemCor nor used in a gloss.
  assert.ok(!wordSet.has("thysanopter"));
});

/** Words of the wordings written after models/base's corpus was drawn, which the frozen list of
 * excluded words does not hold (the position families, 2026-12-07); corpus.test.ts checks that no
 * phrase of theirs is in the corpus. A wording with a new word fails here until it is added. */
const WORDS_AFTER_THE_CORPUS = new Set(
  "based counting indicated matches n numbered occupies place sits stands stop where".split(" "),
);

test("no word of a task wording (but those written after the corpus), and no offensive word", () => {
  const frozen = new Set((readDataFile("corpus-excluded-words.json") as { words: string[] }).words);
  for (const w of frozen) assert.ok(!wordSet.has(w), w);
  for (const f of listFamilies())
    for (const wording of [...f.seedWordings, ...f.heldOutWordings, ...f.augmentWordings])
      for (const w of wording.toLowerCase().match(/[a-z]+/g) ?? [])
        assert.ok(frozen.has(w) || WORDS_AFTER_THE_CORPUS.has(w), `${w}: a word no wording had before`);
  for (const w of ["answer", "letter", "please", "you", "reverse", "sort"]) assert.ok(!wordSet.has(w), w);
  const db = readWordNet(wordnetDictPath());
  // disparagement, obscenity and ethnic slur, as usage domains (`;u` pointers of data.noun).
  const offensive = new Set(["06730109", "07139048", "06731706"]);
  let marked = 0;
  for (const synsets of Object.values(db.synsets))
    for (const { words: ws, usage } of synsets.values())
      if (usage.some((u) => offensive.has(u))) {
        marked++;
        for (const w of ws) assert.ok(!wordSet.has(w.toLowerCase()), w);
      }
  assert.ok(marked > 30, `${marked} synsets marked`);
});

test("categories: known members, one category per word, all of them words", () => {
  assert.deepEqual(Object.keys(categories).sort(), Object.keys(lexicon().categories).sort());
  assert.deepEqual(Object.keys(CATEGORY_ROOTS).sort(), Object.keys(lexicon().categories).sort());
  const expected: Record<string, string> = {
    heron: "animal", // its first sense is Hero of Alexandria, a proper noun
    owl: "animal",
    hammer: "tool", // its gunlock sense is as frequent in SemCor
    chisel: "tool",
    violin: "instrument",
    bassoon: "instrument",
    banana: "fruit",
    mango: "fruit",
    spinach: "vegetable",
    crimson: "color",
    bus: "vehicle", // public transport
    helicopter: "vehicle",
    shoe: "clothing", // footwear
    sweater: "clothing",
    sofa: "furniture",
    wardrobe: "furniture",
  };
  for (const [w, c] of Object.entries(expected)) assert.equal(categoryOf.get(w), c, w);
  // Most frequent sense outside every category ("table" of data), or in two ("blue": colour, uniform).
  for (const w of ["table", "blue", "river", "quickly"]) assert.equal(categoryOf.get(w), undefined, w);
  for (const [c, ws] of Object.entries(categories)) {
    assert.ok(ws.length >= 40 && ws.length <= 1500, `${c}: ${ws.length}`);
    assert.deepEqual(ws, [...new Set(ws)].sort());
    for (const w of ws) assert.ok(wordSet.has(w), `${c}: ${w}`);
  }
  const members = Object.values(categories).flat();
  assert.equal(new Set(members).size, members.length, "a word in two categories");
});

test("every lexicon category word is in its own WordNet category or in none", () => {
  let agree = 0;
  for (const [c, ws] of Object.entries(lexicon().categories))
    for (const w of ws) {
      const wordnet = categoryOf.get(w);
      assert.ok(wordnet === undefined || wordnet === c, `${w}: ${c} in the lexicon, ${wordnet} in WordNet`);
      if (wordnet === c) agree++;
    }
  assert.ok(agree > 140, `only ${agree} of the lexicon's words found in their WordNet category`);
});
