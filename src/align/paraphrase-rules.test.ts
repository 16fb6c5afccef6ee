import assert from "node:assert/strict";
import { test } from "node:test";
import { rouge } from "../metrics/rouge.js";
import { isHeldOutWording } from "../tasks/held-out-guard.js";
import { listFamilies } from "../tasks/registry.js";
import { constraintTerms, filterParaphrases } from "./augment-filters.js";
import { INPUT_PLACEHOLDER } from "./instance-prompt.js";
import { paraphrase } from "./paraphrase-rules.js";
import { rulesSource } from "./paraphrase-rules-source.js";

const SEED_WORDINGS = listFamilies().flatMap((f) => f.seedWordings);

// Instructions from outside the suite, with every kind of constraint span.
const OTHERS = [
  'Reply "yes" if the review mentions "great service", and "no" otherwise.',
  "List 3 colors, comma-separated. Answer in lowercase.",
  "Give the answer as JSON with the key 'label'. Use a single word.",
  "Which of the 2 numbers is larger? Answer with just the number.",
  "Write the title in uppercase, then 12 bullet points.",
  "Is the statement true or false? Answer true or false.",
];

/** Spans that must reach every rewrite verbatim: quotes, numbers, the placeholder. */
function verbatimSpans(text: string): string[] {
  return [...text.matchAll(/"[^"]*"|'[^']+'|\d+(?:\.\d+)?|\{input\}/g)].map((m) => m[0]);
}

const count = (text: string, span: string) => text.split(span).length - 1;

test("the same instruction, n and seed give the same rewrites; another seed gives others", () => {
  for (const w of [...SEED_WORDINGS.slice(0, 20), ...OTHERS]) {
    assert.deepEqual(paraphrase(w, 6, 3), paraphrase(w, 6, 3));
  }
  const w = SEED_WORDINGS[0]!;
  assert.notDeepEqual(paraphrase(w, 6, 3), paraphrase(w, 6, 4));
  assert.deepEqual(paraphrase(w, 0, 3), []);
});

test("every rewrite keeps every constraint: quoted terms, numbers, {input}, yes/no and format words", () => {
  for (const original of [...SEED_WORDINGS, ...OTHERS]) {
    for (const seed of [0, 1]) {
      for (const out of paraphrase(original, 8, seed)) {
        const lower = out.toLowerCase();
        for (const term of constraintTerms(original))
          assert.ok(lower.includes(term.toLowerCase()), `${JSON.stringify(out)} lost ${term}`);
        for (const span of verbatimSpans(original))
          assert.equal(count(out, span), count(original, span), `${JSON.stringify(out)}: ${span}`);
      }
    }
  }
});

test("rewrites differ from the input and from each other (ROUGE-L F1 < 0.9), and pass the augment filters", () => {
  for (const original of [...SEED_WORDINGS, ...OTHERS]) {
    const outs = paraphrase(original, 10, 7);
    assert.equal(new Set(outs).size, outs.length);
    for (const [i, a] of outs.entries()) {
      assert.ok(rouge(original, a).rougeL.f1 < 0.9, `too close to the input: ${JSON.stringify(a)}`);
      for (const b of outs.slice(i + 1)) assert.ok(rouge(a, b).rougeL.f1 < 0.9);
    }
    const { kept } = filterParaphrases(original, outs);
    assert.deepEqual(kept, outs, `the augment stage's filters reject none of ${JSON.stringify(original)}`);
  }
});

test("every seed wording of the task suite gets several rewrites", () => {
  for (const w of SEED_WORDINGS) {
    const outs = paraphrase(w, 10, 0);
    assert.ok(outs.length >= 3, `${outs.length} rewrites of ${JSON.stringify(w)}`);
    for (const out of outs) {
      assert.equal(count(out, INPUT_PLACEHOLDER), 1);
      // Rewrites of seed wordings train SFT(IA); none may be a held-out wording.
      assert.ok(!isHeldOutWording(out), `a rewrite is a held-out wording: ${JSON.stringify(out)}`);
    }
  }
});

/** Every rewrite over a few seeds, to look for one rule's effect. */
const rewrites = (w: string) => [0, 1, 2, 3, 4, 5].flatMap((seed) => paraphrase(w, 10, seed));

test("rules: answer-format rewording, question <-> command, polite forms, input first or last", () => {
  const format = rewrites("Name the color. Answer with a single word.");
  assert.ok(format.some((o) => o.includes("Reply using one word only.")));
  assert.ok(format.some((o) => o.includes("Respond in a single word.")));

  const question = rewrites("What is the first letter of this word?\n{input}");
  assert.ok(
    question.some((o) => /(tell me|say|let me know) what the first letter of .*word is[.?]/i.test(o)),
  );
  assert.ok(question.some((o) => /^(Give|State) the first letter of/.test(o)));
  const doSupport = rewrites("Which letter does this word start with?\n{input}");
  assert.ok(doSupport.some((o) => o.includes("which letter this word starts with.")));
  const yesNo = rewrites("Does any of these words belong to the given category? Answer yes or no.\n{input}");
  assert.ok(yesNo.some((o) => /whether any of these words (belongs to|falls under)/.test(o)));

  const polite = rewrites("Sort these numbers from smallest to largest.\n{input}");
  assert.ok(polite.some((o) => o.startsWith("Please sort") || o.startsWith("Please arrange")));
  assert.ok(polite.some((o) => /^Could you (sort|arrange) .+\?\n/.test(o)));
  assert.ok(
    polite.some((o) => o.startsWith(`${INPUT_PLACEHOLDER}\n\n`)),
    "input moved first",
  );
  assert.ok(
    rewrites("{input}\nWhich word is longer?").some((o) => o.endsWith(`\n\n${INPUT_PLACEHOLDER}`)),
    "input moved last",
  );
  // An input inside a sentence stays where it is.
  for (const o of rewrites("Here are two words: {input}. Write the one that is longer."))
    assert.match(o, /: \{input\}\. /);
});

test("synonyms never touch protected phrases or the noun 'answer'", () => {
  for (const o of rewrites("Work out the answer. Give it in uppercase, separated by commas."))
    assert.match(o, /the answer.*uppercase/i);
  for (const o of rewrites("Is the sentiment positive or negative? Reply in one word.")) {
    assert.ok(o.includes("positive or negative") && o.includes("one word"), o);
  }
});

test("rulesSource serves the augment stage", async () => {
  assert.deepEqual(
    await rulesSource("Count the letters in the word {input}.", 4, 2),
    paraphrase("Count the letters in the word {input}.", 4, 2),
  );
});
