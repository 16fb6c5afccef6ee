import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeGroups } from "../data/index.js";
import { writeCandidateSets } from "./artifacts.js";
import { evaluateModels, pairsFile } from "./stage-files.js";

const SETTINGS = { chat: false, maxTokens: 4, batchSize: 4, bootstrap: 10 };
const NO_CACHE = { cacheDir: null };

test("issue 16 item 11: evaluate on an empty file is an error naming it, with no output", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-evaluate-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const empty = join(dir, "eval.jsonl");
  writeFileSync(empty, "\n");
  await assert.rejects(
    evaluateModels(empty, join(dir, "out"), [["a", join(dir, "model")]], SETTINGS, NO_CACHE),
    (err: Error) => err.name === "DataError" && err.message === `${empty}: (file): no groups to evaluate`,
  );
  assert.equal(existsSync(join(dir, "out")), false);
});

test("issue 16 item 11: a failed evaluate leaves no output folder", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-evaluate-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "eval.jsonl");
  await writeGroups(file, [
    {
      id: "1",
      instruction: "Say yes.",
      input: "",
      references: ["yes"],
      variants: [{ text: "Say yes.", origin: "original" }],
    },
  ]);
  await assert.rejects(
    evaluateModels(file, join(dir, "out"), [["a", join(dir, "no-such-model")]], SETTINGS, NO_CACHE),
    (err: Error) => err.name === "ModelFileError",
  );
  assert.equal(existsSync(join(dir, "out")), false);
});

test("a reward file with no pair above the gap is one user error naming the file and pairs.min_gap, with no output", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-pairs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, "rewards.jsonl");
  const output = join(dir, "pairs.jsonl");
  await writeCandidateSets(input, [
    { id: "1", variant: 0, prompt: "Say yes.", candidates: ["yes", "no"], rewards: [0.47, 0.46] },
  ]);
  await assert.rejects(
    pairsFile(input, output, { mode: "best-worst", minGap: 0.05, references: null }),
    (err: Error) =>
      err.name === "DataError" &&
      err.message ===
        `${input}: reward: no preference pair has a reward gap >= 0.05 (pairs.min_gap); see the reward stage's judge health`,
  );
  assert.equal(existsSync(output), false);
  // The same file with a smaller gap gives its one pair.
  const summary = await pairsFile(input, output, { mode: "best-worst", minGap: 0.005, references: null });
  assert.equal(summary.pairs, 1);
  assert.equal(summary.checker, null, "no references, no checker figures");
});

test("given references, the pairs summary says how the pairs stand against the checker", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-pairs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, "rewards.jsonl");
  const references = join(dir, "prompts.jsonl");
  const group = (id: string, answer: string) => ({
    id,
    instruction: "Answer.",
    input: id,
    references: [answer],
    variants: [{ text: "Answer.", origin: "original" as const }],
  });
  await writeGroups(references, [group("a", "yes"), group("b", "no"), group("c", "red")]);
  await writeCandidateSets(input, [
    // right over wrong (case and a final period do not matter to the checker)
    { id: "a", variant: 0, prompt: "p", candidates: ["Yes.", "no"], rewards: [0.9, 0.1] },
    // wrong over right
    { id: "b", variant: 0, prompt: "p", candidates: ["yes", "no"], rewards: [0.9, 0.1] },
    // two wrong answers
    { id: "c", variant: 0, prompt: "p", candidates: ["blue", "green"], rewards: [0.9, 0.1] },
    { id: "c", variant: 1, prompt: "q", candidates: ["green", "blue"], rewards: [0.9, 0.1] },
    // an item without references is left out of the shares
    { id: "z", variant: 0, prompt: "p", candidates: ["x", "y"], rewards: [0.9, 0.1] },
  ]);
  const s = await pairsFile(input, join(dir, "pairs.jsonl"), {
    mode: "best-worst",
    minGap: 0.05,
    references,
  });
  assert.equal(s.pairs, 5);
  assert.deepEqual(s.checker, {
    checked: 4,
    chosenCorrect: 0.25,
    rejectedCorrect: 0.25,
    rightOverWrong: 0.25,
    wrongOverRight: 0.25,
    bothWrong: 0.5,
    bothRight: 0,
  });
});
