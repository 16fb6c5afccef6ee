// The wording pools: sizes, one {input} each, disjoint across pools, and each renders with an input.
import assert from "node:assert/strict";
import { test } from "node:test";
import { listFamilies } from "./registry.js";
import { INPUT_PLACEHOLDER, renderWording, wordingKey } from "./wordings.js";

for (const f of listFamilies()) {
  test(`${f.name}: pools have >= 2 / 20 / 10 wordings, pairwise disjoint and without repeats`, () => {
    assert.ok(f.seedWordings.length >= 2 && f.seedWordings.length <= 3, "2-3 seed wordings");
    assert.ok(f.heldOutWordings.length >= 20, "at least 20 held-out wordings");
    assert.ok(f.augmentWordings.length >= 10, "at least 10 augmentation wordings");
    const owner = new Map<string, string>();
    for (const [pool, wordings] of [
      ["seed", f.seedWordings],
      ["held-out", f.heldOutWordings],
      ["augment", f.augmentWordings],
    ] as const) {
      for (const w of wordings) {
        const key = wordingKey(w);
        assert.ok(key.split(" ").length >= 1 && key !== "", `a wording has words: ${JSON.stringify(w)}`);
        const other = owner.get(key);
        assert.equal(other, undefined, `${JSON.stringify(w)} (${pool}) repeats a ${other} wording`);
        owner.set(key, pool);
      }
    }
  });

  test(`${f.name}: every wording renders with the input once and nothing left over`, () => {
    const { input } = f.generate(0, 0);
    for (const w of [...f.seedWordings, ...f.heldOutWordings, ...f.augmentWordings]) {
      assert.equal(w.split(INPUT_PLACEHOLDER).length, 2, `one placeholder: ${JSON.stringify(w)}`);
      const prompt = renderWording(w, input);
      assert.ok(prompt.includes(input));
      assert.ok(!prompt.includes("{") && !prompt.includes("}"), `no stray braces: ${JSON.stringify(w)}`);
      assert.equal(prompt, prompt.trim(), "no leading or trailing space");
    }
  });
}

test("the instruction sometimes follows the input, in every pool that evaluation or SFT(IA) uses", () => {
  for (const f of listFamilies()) {
    for (const pool of [f.heldOutWordings, f.augmentWordings]) {
      assert.ok(
        pool.some((w) => w.startsWith(INPUT_PLACEHOLDER)),
        `${f.name}: some wording puts the input first`,
      );
    }
  }
});

test("renderWording inserts the input literally (no $-patterns)", () => {
  assert.equal(renderWording("A {input} B", "$& $1 $$"), "A $& $1 $$ B");
});

test("wordingKey ignores placeholder position, case, punctuation and spacing", () => {
  assert.equal(wordingKey("{input}\nWhich word is longer?"), wordingKey("which word is LONGER {input}"));
  assert.notEqual(wordingKey("Which word is longer? {input}"), wordingKey("Which word is shorter? {input}"));
});
