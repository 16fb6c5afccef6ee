import assert from "node:assert/strict";
import { test } from "node:test";
import { AddedTokenSplitter } from "./added-tokens.js";
import { BpeModel } from "./bpe-model.js";
import { BYTE_TO_CHAR, CHAR_TO_BYTE, toByteLevel } from "./byte-level.js";
import { buildDecoder, decodeByteLevel } from "./decoders.js";
import { LruCache } from "./lru-cache.js";
import { buildPreTokenizer, splitBy } from "./pre-tokenizers.js";
import { compileRustRegex, LLAMA3_PATTERN } from "./rust-regex.js";

test("byte-level map: 256 distinct printable characters, space is Ġ, round-trips", () => {
  assert.equal(new Set(BYTE_TO_CHAR).size, 256);
  assert.equal(BYTE_TO_CHAR[32], "Ġ");
  assert.equal(BYTE_TO_CHAR[10], "Ċ");
  assert.equal(BYTE_TO_CHAR[65], "A");
  assert.equal(CHAR_TO_BYTE.get("Ġ"), 32);
  assert.equal(toByteLevel(" é"), "ĠÃ©");
  assert.equal(decodeByteLevel(["ĠÃ", "©"]), " é");
});

test("Rust regex translation: (?i:) groups and Unicode White_Space \\s", () => {
  const re = compileRustRegex(LLAMA3_PATTERN);
  assert.deepEqual("I'LL go".match(re), ["I", "'LL", " go"]);
  const ws = compileRustRegex("\\s+|[^\\s]+");
  assert.deepEqual("a\u0085b".match(ws), ["a", "\u0085", "b"], "U+0085 is White_Space in Rust");
  assert.deepEqual("a\ufeffb".match(ws), ["a\ufeffb"], "U+FEFF is not");
  assert.throws(() => compileRustRegex("(?i:[a-z])"), /letters in a class/);
});

test("Split behaviors and Metaspace prepend schemes", () => {
  const re = /-/gu;
  assert.deepEqual(splitBy("a-b-", re, "Isolated"), ["a", "-", "b", "-"]);
  assert.deepEqual(splitBy("a-b-", re, "Removed"), ["a", "b"]);
  assert.deepEqual(splitBy("a-b-c", re, "MergedWithPrevious"), ["a-", "b-", "c"]);
  assert.deepEqual(splitBy("a-b-c", re, "MergedWithNext"), ["a", "-b", "-c"]);
  const first = buildPreTokenizer({
    type: "Metaspace",
    replacement: "▁",
    prepend_scheme: "first",
    split: false,
  })!;
  assert.deepEqual(first(["hi there"], true), ["▁hi▁there"]);
  assert.deepEqual(first(["hi"], false), ["hi"]);
  const always = buildPreTokenizer({ type: "Metaspace", replacement: "▁", add_prefix_space: true })!;
  assert.deepEqual(always(["hi there"], false), ["▁hi", "▁there"]);
  const digits = buildPreTokenizer({ type: "Digits", individual_digits: true })!;
  assert.deepEqual(digits(["ab123"], true), ["ab", "1", "2", "3"]);
  assert.throws(
    () => buildPreTokenizer({ type: "BertPreTokenizer" }),
    /pre_tokenizer type "BertPreTokenizer" is not supported/,
  );
});

test("added tokens: longest match first, lstrip/rstrip, single_word", () => {
  const s = new AddedTokenSplitter([
    { id: 1, content: "<a>", special: true },
    { id: 2, content: "<a><b>", special: true },
    { id: 3, content: "[X]", special: false, lstrip: true, rstrip: true },
    { id: 4, content: "cat", special: false, singleWord: true },
  ]);
  assert.deepEqual(s.split("x<a><b>y<a>"), [
    { text: "x", start: 0 },
    { id: 2 },
    { text: "y", start: 7 },
    { id: 1 },
  ]);
  assert.deepEqual(s.split("p  [X]  q"), [{ text: "p", start: 0 }, { id: 3 }, { text: "q", start: 8 }]);
  assert.deepEqual(s.split("a cat concat"), [
    { text: "a ", start: 0 },
    { id: 4 },
    { text: " concat", start: 5 },
  ]);
});

test("BPE: merges by rank, leftmost on ties, unknown and byte-fallback symbols never merge", () => {
  const vocab = ["<unk>", "a", "b", "ab", "aa", "aab", "<0xC3>", "<0xA9>"];
  const merges: Array<[string, string]> = [
    ["a", "b"],
    ["a", "a"],
  ];
  const m = new BpeModel({ vocab, merges, unkToken: "<unk>", fuseUnk: true });
  assert.deepEqual(m.tokenize("aab"), [1, 3], "rank 0 'a b' first, so 'aab' is never formed");
  assert.deepEqual(m.tokenize("aaa"), [4, 1], "leftmost pair first");
  assert.deepEqual(m.tokenize("xyab"), [0, 3], "unknown characters fuse into one <unk>");
  const fb = new BpeModel({ vocab, merges, byteFallback: true });
  assert.deepEqual(fb.tokenize("éa"), [6, 7, 1]);
  // Scores: higher merges first. "aa" (-1) beats "ab" (-2), so "aab" → "aa" + "b" then "aab".
  const scored = new BpeModel({ vocab, scores: [0, 0, 0, -2, -1, -3, 0, 0] });
  assert.deepEqual(scored.tokenize("aab"), [5]);
  assert.throws(() => new BpeModel({ vocab, merges: [["a", "z"]] }), /missing from the vocabulary/);
});

test("decoders: ByteFallback turns invalid UTF-8 into one U+FFFD per byte; Metaspace and Strip", () => {
  const d = buildDecoder({
    type: "Sequence",
    decoders: [
      { type: "Replace", pattern: { String: "▁" }, content: " " },
      { type: "ByteFallback" },
      { type: "Fuse" },
      { type: "Strip", content: " ", start: 1, stop: 0 },
    ],
  })!;
  assert.deepEqual(d(["▁hi", "<0xC3>", "<0xA9>", "▁x"]), ["hié x"]);
  // A run of byte tokens is decoded together: one invalid byte spoils the whole run.
  assert.deepEqual(d(["▁hi", "<0xC3>", "<0xA9>", "<0xFF>", "<0xC3>"]), ["hi\uFFFD\uFFFD\uFFFD\uFFFD"]);
  const meta = buildDecoder({ type: "Metaspace", replacement: "▁", prepend_scheme: "always" })!;
  assert.deepEqual(meta(["▁Hey", "▁you"]).join(""), "Hey you");
  assert.throws(() => buildDecoder({ type: "WordPiece" }), /decoder type "WordPiece" is not supported/);
});

test("LRU cache evicts the least recently used entry", () => {
  const c = new LruCache<string, number>(2);
  c.set("a", 1);
  c.set("b", 2);
  c.get("a");
  c.set("c", 3);
  assert.equal(c.get("b"), undefined);
  assert.equal(c.get("a"), 1);
  assert.equal(c.size, 2);
});
