import assert from "node:assert/strict";
import { test } from "node:test";
import { Tiktoken } from "js-tiktoken/lite";
import gpt2Ranks from "js-tiktoken/ranks/gpt2";
import { fixture, skipUnlessFixture } from "../../test/fixtures.js";
import { HAND_PICKED, randomCorpus } from "../../test/tokenizer-corpus.js";
import { loadTokenizer } from "./load-tokenizer.js";

// The reference: js-tiktoken's "gpt2" encoding (ranks shipped in the package), which is GPT-2's
// byte-level BPE implemented independently (tiktoken's rank-based merging over raw bytes).
// Its pattern uses JavaScript's \s, which (unlike Rust's, and calign's) omits U+0085 and includes
// U+FEFF; the corpus avoids those two characters.

test("GPT-2 tokenizer.json ids equal js-tiktoken's gpt2 encoding", {
  skip: skipUnlessFixture("fake-gpt2", "tokenizer.json"),
}, (t) => {
  const tok = loadTokenizer(fixture("fake-gpt2"));
  const ref = new Tiktoken(gpt2Ranks);
  const corpus = [
    ...HAND_PICKED,
    ...randomCorpus(400),
    "<|endoftext|>Next document",
    "a<|endoftext|>b<|endoftext|>",
  ];
  let ids = 0;
  for (const text of corpus) {
    const ours = tok.encode(text);
    assert.deepEqual(ours, ref.encode(text, "all"), JSON.stringify(text));
    assert.equal(tok.decode(ours), text, "decode round-trips");
    ids += ours.length;
  }
  t.diagnostic(`compared ${corpus.length} strings, ${ids} ids`);
  assert.equal(tok.vocabSize, 50257);
  assert.equal(tok.eosId, 50256);
  assert.equal(tok.addsBos, false);
  assert.deepEqual(tok.encode("<|endoftext|>"), [50256]);
  assert.equal(tok.decode([50256, 15496], { skipSpecialTokens: true }), "Hello");
});
