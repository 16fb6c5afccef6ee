// Stage 2's wordings no stage trained on: rule rewrites of every wording training gave the item's task,
// never a training wording, never a held-out one, the same for a seed, and each task's own.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/index.js";
import { rulesSource } from "./paraphrase-rules-source.js";
import { RULE_REWRITES, withRuleWordings } from "./rule-wordings.js";

const item = (id: string, task: string, instruction: string, extra: string[] = []): ParaphraseGroup => ({
  id,
  task,
  instruction,
  input: id,
  variants: [instruction, ...extra].map((text, i) => ({ text, origin: i === 0 ? "original" : "pool" })),
  references: [],
});

const TRAINING = [
  item("a1", "longer", "Which of these two words has more letters?\n{input}", [
    "Write the longer word: {input}",
  ]),
  item("a2", "longer", "{input}\nWhich word is longer?"),
  item("b1", "first", "What is the first letter of {input}?", ["Give the first letter of the word {input}."]),
];
const PROMPTS = [
  item("p1", "longer", "{input}\nWhich word is longer?"),
  item("p2", "first", "What is the first letter of {input}?"),
];

test("each item gets its own task's rule rewrites, up to 2 per training wording, none a training wording", async () => {
  const out = await withRuleWordings(PROMPTS, TRAINING, rulesSource, { seed: 0, heldOut: [] });
  const trainingOf = (task: string) =>
    new Set(TRAINING.filter((g) => g.task === task).flatMap((g) => g.variants.map((v) => v.text)));
  for (const g of out) {
    const own = trainingOf(g.task!);
    assert.ok(
      g.variants.length > 0 && g.variants.length <= RULE_REWRITES * own.size,
      `${g.id}: ${g.variants.length}`,
    );
    for (const v of g.variants) {
      assert.equal(v.origin, "rules");
      assert.ok(!own.has(v.text), `${g.id}: ${v.text} is a training wording`);
      assert.equal(v.text.split("{input}").length, 2, `${v.text}: one {input}`);
    }
    // The other task's rewrites never leak in: "first letter" wordings stay with their task.
    assert.equal(
      g.variants.some((v) => /first letter/i.test(v.text)),
      g.task === "first",
      g.id,
    );
    assert.equal(g.input, g.id, "the item's input and everything else are kept");
  }
  assert.deepEqual(await withRuleWordings(PROMPTS, TRAINING, rulesSource, { seed: 0, heldOut: [] }), out);
  const reseeded = await withRuleWordings(PROMPTS, TRAINING, rulesSource, { seed: 7, heldOut: [] });
  assert.notDeepEqual(reseeded, out);
});

test("a rewrite equal to a held-out wording is dropped", async () => {
  const out = await withRuleWordings(PROMPTS, TRAINING, rulesSource, { seed: 0, heldOut: [] });
  const heldOut = out[0]!.variants[0]!.text;
  const evalItem = item("e1", "longer", heldOut);
  const guarded = await withRuleWordings(PROMPTS, TRAINING, rulesSource, { seed: 0, heldOut: [evalItem] });
  assert.ok(guarded[0]!.variants.every((v) => v.text !== heldOut));
  // Another task's held-out wordings do not guard this one.
  const elsewhere = await withRuleWordings(PROMPTS, TRAINING, rulesSource, {
    seed: 0,
    heldOut: [{ ...evalItem, task: "first" }],
  });
  assert.deepEqual(elsewhere[0], out[0]);
});
