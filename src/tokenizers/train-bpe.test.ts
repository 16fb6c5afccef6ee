// The BPE trainer: merges and their counts on a corpus small enough to count by hand, deterministic
// tie-breaking, stable ids, and a tokenizer.json that calign's loader round-trips text through.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenizerFromJson } from "./from-tokenizer-json.js";
import { trainBpe } from "./train-bpe.js";

const SPECIALS = ["<pad>", "<s>", "</s>"];
const base = SPECIALS.length + 256;

test("merges by pair frequency reproduce hand counts, stopping below min frequency", () => {
  // Words: "ab" ×1, "Ġab" ×2, "Ġabc" ×1. (a,b) occurs 1+2+1 = 4 times, (Ġ,a) 3, (b,c) 1.
  // After a+b: (Ġ,ab) 3 and (ab,c) 1; after Ġ+ab: (Ġab,c) 1 < 2, so training stops.
  const { merges, tokenizerJson } = trainBpe(["ab ab ab abc"], {
    vocabSize: base + 10,
    specialTokens: SPECIALS,
    splitDigits: false,
  });
  assert.deepEqual(merges, [
    { pair: ["a", "b"], count: 4 },
    { pair: ["Ġ", "ab"], count: 3 },
  ]);
  const tok = tokenizerFromJson(tokenizerJson);
  const ids = tok.encode("ab ab ab abc");
  assert.deepEqual(
    ids.map((i) => tok.idToToken(i)),
    ["ab", "Ġab", "Ġab", "Ġab", "c"],
  );
  assert.equal(tok.vocabSize, base + 2);
});

test("ties go to the pair whose strings sort first", () => {
  // Every pair occurs once: (x,y) < (z,w) < (Ġ,z) by code units, then (Ġ,zw) is the only pair left.
  const { merges } = trainBpe(["xy zw"], {
    vocabSize: base + 10,
    specialTokens: SPECIALS,
    splitDigits: false,
    minFrequency: 1,
  });
  assert.deepEqual(
    merges.map((m) => m.pair),
    [
      ["x", "y"],
      ["z", "w"],
      ["Ġ", "zw"],
    ],
  );
});

const corpus = Array.from(
  { length: 200 },
  (_, i) =>
    `Document ${i}: the cat sat near the ${i % 3 === 0 ? "garden" : "kitchen"}; 12 + ${i} = ${12 + i}. Café ✓`,
);

test("stops at the vocabulary size; the same corpus always gives the same tokenizer.json", () => {
  const o = { vocabSize: base + 30, specialTokens: SPECIALS, splitDigits: true, bosToken: "<s>" };
  const a = trainBpe(corpus, o);
  assert.equal(a.merges.length, 30);
  assert.equal(JSON.stringify(a.tokenizerJson), JSON.stringify(trainBpe(corpus, o).tokenizerJson));
  const vocab = (a.tokenizerJson.model as { vocab: Record<string, number> }).vocab;
  assert.deepEqual(
    SPECIALS.map((t) => vocab[t]),
    [0, 1, 2],
  );
  // Digits split one by one: no learned token holds two digits.
  assert.ok(Object.keys(vocab).every((t) => !/\d\d/.test(t)));
});

test("the loader round-trips every text, adding BOS from the post-processor", () => {
  const { tokenizerJson } = trainBpe(corpus, {
    vocabSize: base + 100,
    specialTokens: SPECIALS,
    splitDigits: true,
    bosToken: "<s>",
  });
  const tok = tokenizerFromJson(tokenizerJson, { bos_token: "<s>", eos_token: "</s>", pad_token: "<pad>" });
  for (const text of [...corpus, "unseen words ünïcödé 🙂 and\ttabs\n\n"]) {
    const ids = tok.encode(text);
    assert.equal(ids[0], 1);
    assert.equal(tok.decode(ids, { skipSpecialTokens: true }), text);
  }
  assert.ok(tok.encode(corpus[0]!).length < [...corpus[0]!].length, "merges shorten the text");
});

test("rejects a vocabulary too small for the specials and bytes, and an unknown BOS", () => {
  assert.throws(
    () => trainBpe(["a"], { vocabSize: 100, specialTokens: SPECIALS, splitDigits: false }),
    /below/,
  );
  assert.throws(
    () =>
      trainBpe(["a"], { vocabSize: base, specialTokens: SPECIALS, splitDigits: false, bosToken: "<bos>" }),
    /not one of the special tokens/,
  );
});
