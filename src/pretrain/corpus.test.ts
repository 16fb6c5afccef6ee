// The pretraining corpus is seeded and unlimited, and states facts only: no task wording or phrase of
// one (seed, held-out or augmentation pool), no questions, nothing addressed to a reader, no sentence
// that opens with a command: with the task lexicon's words only (models/base's corpus) and with
// WordNet's mixed in.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { listFamilies } from "../tasks/index.js";
import { lexicon } from "../tasks/lexicon.js";
import { corpusDocument, corpusDocuments } from "./corpus.js";
import { wordnetWords } from "./wordnet-words.js";

const LEXICON = { wordnet: 0 };
const MIXED = { wordnet: 0.5 };
const LEXICON_DOCS = [...corpusDocuments(0, 5000, LEXICON)];
const MIXED_DOCS = [...corpusDocuments(0, 5000, MIXED)];
/** Every document the rules below are checked on. */
const DOCS = [...LEXICON_DOCS, ...MIXED_DOCS];

test("the same seed, index and options give the same document; another seed gives other documents", () => {
  for (const [options, docs] of [
    [LEXICON, LEXICON_DOCS],
    [MIXED, MIXED_DOCS],
  ] as const) {
    assert.deepEqual([...corpusDocuments(0, 50, options)], docs.slice(0, 50));
    assert.equal(corpusDocument(0, 1_000_000_000, options), corpusDocument(0, 1_000_000_000, options));
    const other = [...corpusDocuments(1, 50, options)];
    assert.ok(other.filter((d, i) => d !== docs[i]).length > 45);
    assert.ok(new Set(docs).size > docs.length * 0.95, "documents are mostly distinct");
  }
});

test("models/base's corpus (its recipe's seed 0, corpus.wordnet 0.5) is the one it was pretrained on", () => {
  // The first 5,000 documents of either option as models/base was pretrained on them (commit fd12654;
  // sha256 of the documents joined by NUL, first 16 hex digits, computed from the build of da292a6,
  // whose corpus code, lexicon and wordings are fd12654's). A change to the corpus or to what it depends
  // on (the lexicon, the WordNet word list and its frozen excluded words) breaks the recipe's
  // reproduction, and this says so.
  const digest = (docs: string[]) =>
    createHash("sha256").update(docs.join("\u0000")).digest("hex").slice(0, 16);
  assert.equal(digest(LEXICON_DOCS), "6d8f6fa66285f660");
  assert.equal(digest(MIXED_DOCS), "78613692da601933");
});

test("corpus.wordnet brings in WordNet's words and categories; at 0 only the lexicon's", () => {
  const { words, categories } = wordnetWords();
  const lex = lexicon();
  const lexiconWords = new Set([
    ...Object.values(lex.categories).flat(),
    ...[
      lex.names,
      lex.verbs,
      lex.adjectives,
      lex.places,
      lex.sentiment.positive,
      lex.sentiment.negative,
    ].flat(),
  ]);
  const named = (docs: string[]) => {
    const seen = new Set<string>();
    for (const d of docs) for (const m of d.matchAll(/^Word: ([a-z]+)$/gm)) seen.add(m[1]!);
    return seen;
  };
  const wordnetOnly = (docs: string[]) =>
    [...named(docs)].filter((w) => !lexiconWords.has(w) && new Set(words).has(w));
  assert.equal(wordnetOnly(LEXICON_DOCS).length, 0);
  assert.ok(wordnetOnly(MIXED_DOCS).length > 100, `${wordnetOnly(MIXED_DOCS).length} WordNet words`);
  // A WordNet animal stated as one: "heron is a kind of animal".
  const animals = new Set(categories.animal!.filter((w) => !lexiconWords.has(w)));
  const stated = MIXED_DOCS.join("\n").match(/\b([a-z]+) is a kind of animal/g) ?? [];
  assert.ok(
    stated.some((s) => animals.has(s.split(" ")[0]!)),
    "no WordNet animal is called an animal",
  );
});

test("covers spellings, letters, lengths, categories, sentences, numbers, arithmetic and logic", () => {
  const text = DOCS.join("\n");
  for (const marker of [
    / is spelled [a-z]( [a-z])+\./,
    /backwards is [a-z]+\./,
    /The first letter of [a-z]+ is [a-z]\./,
    / has \d+ letters\./,
    /is a kind of (animal|fruit|vehicle)/,
    /has more letters than/,
    /comes before [a-z]+ alphabetically/,
    /The word after [a-z]+ is|the word after [a-z]+ is/,
    /\d+ \+ \d+ = \d+/,
    /\d+ \* \d+ = \d+/,
    /is larger than/,
    /(true|false) (and|or) (true|false)/,
    /is not balanced/,
    /is (positive|negative), because/,
  ])
    assert.match(text, marker);
});

const normal = (s: string) =>
  ` ${s
    .toLowerCase()
    .replace(/[^a-z0-9']+/g, " ")
    .trim()} `;

/** Every sentence or line of the corpus, normalised, so a phrase never matches across two of them. */
const SENTENCES = DOCS.join("\n")
  .split(/[.!?;\n]+/)
  .map(normal)
  .filter((s) => s.trim() !== "");

/** The words an expression is made of: a wording like "true or false?" names the values, which the
 * corpus must state ("true or false is true"). */
const EXPRESSION_WORDS = new Set(["true", "false", "and", "or", "not"]);

test("no wording of any pool, and no phrase of three or more words from one, occurs in the corpus", () => {
  const text = SENTENCES.join("|");
  const whole = new Set(SENTENCES);
  let phrases = 0;
  for (const f of listFamilies()) {
    for (const wording of [...f.seedWordings, ...f.heldOutWordings, ...f.augmentWordings]) {
      // A terse wording ("First letter?") may be part of a fact ("the first letter of cat is c") but is
      // never a sentence of its own; any longer phrase is nowhere at all.
      assert.ok(!whole.has(normal(wording.replace("{input}", " "))), `${f.name}: ${JSON.stringify(wording)}`);
      for (const part of [wording.replace("{input}", " "), ...wording.split(/\{input\}|[.?!:;,()\n—]+/)]) {
        const phrase = normal(part);
        const words = phrase.trim().split(" ");
        if (words.length < 3 || words.every((w) => EXPRESSION_WORDS.has(w))) continue;
        phrases++;
        assert.ok(!text.includes(phrase), `${f.name}: "${phrase.trim()}" (from ${JSON.stringify(wording)})`);
      }
    }
  }
  assert.ok(phrases > 500, `only ${phrases} phrases checked`);
});

/** Words that open a command in the task wordings, or address the reader (questions have a "?"). */
const INSTRUCTION_OPENERS = new Set(
  (
    "answer reply respond return output write tell say give state find name determine identify count list " +
    "sort select pick choose decide read rewrite compare arrange verify check work evaluate go spell take turn " +
    "reverse classify calculate compute solve simplify resolve apply extract spot convert change transform make " +
    "reorder rearrange alphabetize locate filter show carry tally pull copy get refer point invert flip judge " +
    "label assign think keep drop look imagine please hey given " +
    "consider provide print"
  ).split(" "),
);

test("no questions, no reader addressed, no sentence opening with a command", () => {
  const text = DOCS.join("\n");
  assert.ok(!text.includes("?"), "a question mark");
  for (const raw of text.split(/[.!;\n]+/)) {
    // The first word as written: a sentence that opens with brackets or a quotation opens with no verb.
    const first = raw
      .trim()
      .split(" ")[0]!
      .toLowerCase()
      .replace(/^"|[",]$/g, "");
    assert.ok(!INSTRUCTION_OPENERS.has(first), `opens like an instruction: "${raw.trim()}"`);
  }
  for (const s of SENTENCES) {
    const words = s.trim().split(" ");
    for (const w of ["you", "your", "me", "please", "i'm", "i'd", "let's"])
      assert.ok(!words.includes(w), `addresses the reader ("${w}"): "${s.trim()}"`);
  }
});
