import assert from "node:assert/strict";
import { test } from "node:test";
import { runReference } from "../../test/reference/python-reference.js";
import { createRng } from "../util/random.js";
import { exactMatch, normalizeAnswer } from "./normalize-answer.js";

test("normalizeAnswer: the SuperNI scorer's normalisation on hand cases", () => {
  assert.equal(normalizeAnswer("  The Answer:\tYES!! "), "the answer yes");
  assert.equal(normalizeAnswer("Don't—stop…"), "dont—stop…");
  assert.ok(exactMatch("Paris.", "paris"));
  assert.ok(!exactMatch("a cat", "the cat"));
});

test("normalizeAnswer: agrees with Python's normalize_answer on random text with odd whitespace", (t) => {
  const pieces = [
    "A",
    "b",
    "É",
    "ß",
    "İ",
    "!",
    "'",
    "-",
    "_",
    "…",
    "—",
    " ",
    "\t",
    "\n",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\x1c",
    "\x1f",
    "\x85",
    "\ufeff",
    "\u200b",
    "7",
  ];
  const rng = createRng(4);
  const texts = Array.from({ length: 500 }, () =>
    Array.from({ length: rng.int(20) }, () => pieces[rng.int(pieces.length)]).join(""),
  );
  const ref = runReference({ normalize: texts });
  if (typeof ref === "string") {
    t.skip(`reference unavailable: ${ref}`);
    return;
  }
  texts.forEach((text, i) => {
    assert.equal(normalizeAnswer(text), ref.normalize[i], JSON.stringify(text));
  });
});
