// The split guarantees: held-out wordings never reach training, evaluation inputs never occur in
// training, and the groups are valid calign records.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupToJson, ORIGINAL, parseGroup } from "../data/group.js";
import { isHeldOutWording } from "./held-out-guard.js";
import { family, listFamilies } from "./registry.js";
import { EVAL_PERCENT, evalGroups, instanceSplit, ORIGIN, splitInstances, trainGroups } from "./splits.js";
import { wordingKey } from "./wordings.js";

const TRAIN = 300;
const EVAL = 60;

for (const f of listFamilies()) {
  test(`${f.name}: no held-out wording and no evaluation input in any training group`, () => {
    const heldOut = new Set(f.heldOutWordings.map(wordingKey));
    const plain = trainGroups(f, { seed: 1, count: TRAIN });
    const augmented = trainGroups(f, { seed: 2, count: TRAIN, augment: f.augmentWordings.length });
    const train = [...plain, ...augmented];
    for (const g of train) {
      for (const text of [g.instruction, ...g.variants.map((v) => v.text)])
        assert.ok(!heldOut.has(wordingKey(text)), `held-out wording in training: ${JSON.stringify(text)}`);
    }
    const trainInputs = new Set(train.map((g) => g.input));
    // Evaluation under several seeds, including the training seeds themselves.
    for (const seed of [1, 2, 99]) {
      const evalSet = evalGroups(f, { seed, count: EVAL });
      assert.ok(evalSet.length > 0);
      for (const g of evalSet) assert.ok(!trainInputs.has(g.input), `eval input in training: ${g.input}`);
      assert.equal(new Set(evalSet.map((g) => g.input)).size, evalSet.length, "eval inputs are unique");
    }
  });
}

test("training groups: seed wordings only for plain SFT; SFT(IA) adds augmentation-pool wordings", () => {
  const f = family("more-letters");
  const seeds = new Set(f.seedWordings);
  const pool = new Set(f.augmentWordings);
  for (const g of trainGroups(f, { seed: 0, count: 20 })) {
    assert.equal(g.variants.length, f.seedWordings.length);
    assert.equal(g.variants[0]!.origin, ORIGINAL);
    assert.equal(g.variants[0]!.text, g.instruction);
    assert.ok(g.variants.every((v) => seeds.has(v.text)));
    assert.deepEqual(g.references, [f.generate(0, g.meta!.index as number).answer]);
  }
  for (const g of trainGroups(f, { seed: 0, count: 20, augment: 4 })) {
    const extra = g.variants.filter((v) => v.origin === ORIGIN.augment);
    assert.equal(extra.length, 4);
    assert.equal(new Set(extra.map((v) => v.text)).size, 4);
    assert.ok(extra.every((v) => pool.has(v.text)));
  }
  // Every seed wording serves as some item's original.
  const originals = new Set(trainGroups(f, { seed: 0, count: 30 }).map((g) => g.instruction));
  assert.equal(originals.size, f.seedWordings.length);
  // originalOnly keeps that one wording: the same items, each under its original alone.
  const all = trainGroups(f, { seed: 0, count: 30, augment: 2 });
  const single = trainGroups(f, { seed: 0, count: 30, augment: 2, originalOnly: true });
  assert.deepEqual(
    single,
    all.map((g) => ({ ...g, variants: g.variants.filter((v) => v.origin !== ORIGIN.seed) })),
  );
  assert.equal(new Set(single.map((g) => g.instruction)).size, f.seedWordings.length);
  assert.throws(
    () => trainGroups(f, { seed: 0, count: 1, augment: f.augmentWordings.length + 1 }),
    RangeError,
  );
});

test("evaluation groups: held-out wordings, optionally the seed original first; deterministic", () => {
  const f = family("sentiment");
  const held = new Set(f.heldOutWordings);
  const a = evalGroups(f, { seed: 4, count: 25, variants: 6 });
  assert.deepEqual(a, evalGroups(f, { seed: 4, count: 25, variants: 6 }));
  for (const g of a) {
    assert.equal(g.variants.length, 6);
    assert.ok(g.variants.every((v) => held.has(v.text) && v.origin === ORIGIN.heldOut));
    assert.equal(instanceSplit(f, g.input), "eval");
  }
  const all = evalGroups(f, { seed: 4, count: 3 });
  assert.ok(all.every((g) => g.variants.length === f.heldOutWordings.length));
  const withOriginal = evalGroups(f, { seed: 4, count: 3, withOriginal: true });
  for (const g of withOriginal) {
    assert.deepEqual(g.variants[0], { text: g.instruction, origin: ORIGINAL });
    assert.ok(f.seedWordings.includes(g.instruction));
  }
  assert.throws(() => evalGroups(f, { seed: 0, count: 1, variants: 0 }), RangeError);
});

test("evaluation groups with seedWordings: the same instances and held-out wordings, after every seed wording", () => {
  const f = family("sentiment");
  const plain = evalGroups(f, { seed: 4, count: 10, variants: 5 });
  const both = evalGroups(f, { seed: 4, count: 10, variants: 5, seedWordings: true });
  assert.equal(both.length, plain.length);
  both.forEach((g, i) => {
    assert.equal(g.input, plain[i]!.input);
    assert.deepEqual(
      g.variants.slice(0, f.seedWordings.length),
      f.seedWordings.map((text) => ({ text, origin: ORIGIN.seed })),
    );
    assert.deepEqual(g.variants.slice(f.seedWordings.length), plain[i]!.variants);
  });
  assert.throws(
    () => evalGroups(f, { seed: 0, count: 1, seedWordings: true, withOriginal: true }),
    /seedWordings and withOriginal/,
  );
});

test("groups are valid calign JSONL records and round-trip", () => {
  for (const f of listFamilies()) {
    for (const g of [
      ...trainGroups(f, { seed: 0, count: 3, augment: 2 }),
      ...trainGroups(f, { seed: 0, count: 3, worked: true }),
      ...evalGroups(f, { seed: 0, count: 3, withOriginal: true }),
    ]) {
      const json = JSON.parse(JSON.stringify(groupToJson(g)));
      assert.deepEqual(parseGroup(json, { file: "mem", line: 1 }), g);
    }
  }
});

test("about EVAL_PERCENT of inputs go to evaluation; ids are unique and stable", () => {
  const f = family("arithmetic");
  const inputs = Array.from({ length: 4000 }, (_, i) => f.generate(9, i).input);
  const share = (100 * inputs.filter((x) => instanceSplit(f, x) === "eval").length) / inputs.length;
  assert.ok(Math.abs(share - EVAL_PERCENT) < 4, `${share}% in eval`);
  const ids = trainGroups(f, { seed: 9, count: 200 }).map((g) => g.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids[0], `arithmetic/train/9/${splitInstances(f, "train", 9, 1, false)[0]!.index}`);
});

test("a family with a small input space returns fewer unique evaluation instances, never repeats", () => {
  const f = family("first-letter");
  const got = splitInstances(f, "eval", 0, 1000, true);
  assert.ok(got.length > 10 && got.length < 1000, `${got.length} unique held-out words`);
  assert.equal(new Set(got.map((x) => x.input)).size, got.length);
});

test("isHeldOutWording: every held-out wording, however spaced or cased; no seed or pool wording", () => {
  for (const f of listFamilies()) {
    for (const w of f.heldOutWordings) {
      assert.ok(isHeldOutWording(w));
      assert.ok(isHeldOutWording(`  ${w.toUpperCase().replace("{INPUT}", "")}\n{input}`));
    }
    for (const w of [...f.seedWordings, ...f.augmentWordings]) assert.ok(!isHeldOutWording(w), w);
  }
});

test("worked training groups: the same items, each targeting its worked answer where its family works one out", () => {
  for (const f of listFamilies()) {
    const plain = trainGroups(f, { seed: 2, count: 20 });
    const worked = trainGroups(f, { seed: 2, count: 20, worked: true });
    assert.deepEqual(
      worked.map(({ target: _, ...g }) => g),
      plain,
    );
    for (const [i, g] of worked.entries()) {
      const instance = f.generate(2, g.meta!.index as number);
      assert.equal(
        g.target,
        instance.work === undefined ? undefined : `${instance.work}\nAnswer: ${plain[i]!.references[0]}`,
      );
    }
  }
  assert.throws(
    () =>
      parseGroup(
        { id: "a", instruction: "i", variants: [{ text: "i", origin: "original" }], target: "" },
        { file: "f.jsonl", line: 3 },
      ),
    /f\.jsonl:3.*target/,
  );
});
