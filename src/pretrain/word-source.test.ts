// The two word sources: the lexicon's as models/base's corpus drew it, WordNet's with the lexicon's
// categories kept; and the sampler WordNet's long lists need.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lexicon } from "../tasks/lexicon.js";
import { pickDistinct } from "../tasks/pick.js";
import { createRng } from "../util/random.js";
import { lexiconWords, sampleDistinct, wordnetWordSource } from "./word-source.js";

test("sampleDistinct: n distinct elements of the list, each equally likely", () => {
  const rng = createRng(7);
  const list = [..."abcdefghij"];
  const counts = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const got = sampleDistinct(rng, list, 3);
    assert.equal(new Set(got).size, 3);
    for (const x of got) counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  // 6000 expected each; the binomial standard deviation is about 65.
  for (const x of list) assert.ok(Math.abs(counts.get(x)! - 6000) < 400, `${x}: ${counts.get(x)}`);
  assert.deepEqual(sampleDistinct(rng, list, 20).sort(), list);
  assert.deepEqual(sampleDistinct(rng, list, 0), []);
});

test("the lexicon source: the lexicon's categories and the full shuffle of models/base's corpus", () => {
  const source = lexiconWords();
  assert.equal(source.pickDistinct, pickDistinct);
  assert.equal(source.categoryOf("heron"), undefined);
  for (const [c, ws] of Object.entries(lexicon().categories))
    for (const w of ws) assert.equal(source.categoryOf(w), c);
});

test("the WordNet source: WordNet's members added to every lexicon category", () => {
  const source = wordnetWordSource();
  assert.ok(source.comparable.length > 25_000);
  assert.equal(source.categoryOf("heron"), "animal");
  assert.equal(source.categoryOf("table"), "furniture"); // the lexicon's, though not WordNet's
  for (const [c, ws] of Object.entries(lexicon().categories)) {
    assert.ok(source.categories[c]!.length > ws.length, c);
    for (const w of ws) assert.equal(source.categoryOf(w), c);
  }
  const rng = createRng(3);
  const drawn = new Set(Array.from({ length: 200 }, () => source.someWord(rng)));
  assert.ok(drawn.size > 190, "words drawn from tens of thousands");
});
