// The pipeline's stage functions on a mock backend: paraphrase filters and their counts (and the warning
// for an instruction left without paraphrases), sampling,
// the P(Yes) self-reward and judge health, and pair selection.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MockBackend, type Prompt } from "../backends/index.js";
import type { ParaphraseGroup } from "../data/index.js";
import { augmentGroups, augmentWarnings } from "./augment.js";
import { constraintTerms, filterParaphrases } from "./augment-filters.js";
import { instancePrompt } from "./instance-prompt.js";
import { judgeHealth } from "./judge-health.js";
import { buildPairs } from "./pairs.js";
import { backendSource, poolSource } from "./paraphrase-source.js";
import { rewardCandidates } from "./reward.js";
import { type CandidateSet, sampleCandidates, withInstructionWordings } from "./sample.js";

const text = (p: Prompt) => (typeof p === "string" ? p : p.map((m) => m.content).join("\n"));

test("instance prompts fill {input} or append the input after a blank line", () => {
  assert.equal(instancePrompt("Reverse: {input}", "cat"), "Reverse: cat");
  assert.equal(instancePrompt("Reverse the word.", "cat"), "Reverse the word.\n\ncat");
  assert.equal(instancePrompt("Say hi.", ""), "Say hi.");
});

test("filters drop near-duplicates, lost constraints and length outliers, and count each", () => {
  const original = 'Answer "yes" or "no": does the word contain the letter 3?';
  assert.deepEqual(constraintTerms(original).sort(), ["3", "no", "yes"]);
  const { kept, rejected } = filterParaphrases(original, [
    'Answer "yes" or "no": does the word contain the letter 3?', // identical
    "Does the word contain the letter 3? Reply yes or no.", // kept
    "Does it contain that letter? Reply yes or no.", // lost the number
    "yes no 3", // too short
    "", // empty
    "Tell me, with yes or no, whether the letter 3 appears in the word.", // kept
  ]);
  assert.deepEqual(kept, [
    "Does the word contain the letter 3? Reply yes or no.",
    "Tell me, with yes or no, whether the letter 3 appears in the word.",
  ]);
  assert.deepEqual(rejected, {
    empty: 1,
    near_duplicate: 1,
    lost_constraint: 1,
    length_outlier: 1,
    held_out: 0,
  });
});

test("a paraphrase close to a held-out (evaluation) wording never reaches training", () => {
  const heldOut = ["Spell the given word backwards, please."];
  const { kept, rejected } = filterParaphrases(
    "Reverse the word.",
    ["Spell the given word backwards please.", "Write the word in reverse order."],
    undefined,
    [],
    heldOut,
  );
  assert.deepEqual(kept, ["Write the word in reverse order."]);
  assert.equal(rejected.held_out, 1);
});

const group = (id: string, instruction: string, task = "t"): ParaphraseGroup => ({
  id,
  task,
  instruction,
  input: "x",
  variants: [{ text: instruction, origin: "original" }],
  references: ["y"],
});

test("augment paraphrases each distinct instruction once and keeps the original first", async () => {
  const backend = new MockBackend({
    generate: () =>
      "1. Please reverse the given word.\n2) Write the word backwards, letter by letter.\n- Reverse the word.",
  });
  const { groups, summary } = await augmentGroups(
    [group("a", "Reverse the word."), group("b", "Reverse the word.")],
    backendSource(backend),
    { n: 2, seed: 0, origin: "model" },
  );
  assert.equal(backend.calls.filter((c) => c.method === "generate").length, 1);
  assert.deepEqual(
    groups[0]?.variants.map((v) => [v.text, v.origin]),
    [
      ["Reverse the word.", "original"],
      ["Please reverse the given word.", "model"],
      ["Write the word backwards, letter by letter.", "model"],
    ],
  );
  assert.deepEqual(groups[1]?.variants, groups[0]?.variants);
  assert.equal(summary.rejected.near_duplicate, 1);
  assert.equal(summary.short, 0);
});

test("an instruction whose every paraphrase is filtered out is named in the summary and the warning", async () => {
  // The bug this guards against (2026-12-07): a wording with a number its paraphrases dropped lost them all.
  const pools = new Map([
    ["t", ["Write the word backwards.", "Spell the word in reverse order."]],
    ["n", ["Give the letter at that position.", "Which letter is at that place?"]],
  ]);
  const { summary } = await augmentGroups(
    [group("a", "Reverse the word.", "t"), group("b", "Give the letter at position 1.", "n")],
    poolSource(pools),
    { n: 2, seed: 0, origin: "pool" },
  );
  assert.deepEqual(summary.unparaphrased, ["Give the letter at position 1."]);
  assert.equal(summary.rejected.lost_constraint, 2);
  const [warning, ...more] = augmentWarnings(summary);
  assert.equal(more.length, 0);
  assert.match(warning!, /^1 of 2 instructions got no paraphrase.*: "Give the letter at position 1\."$/);
  assert.deepEqual(augmentWarnings({ ...summary, unparaphrased: [] }), []);
});

test("a pool source is seeded and draws without replacement", async () => {
  const pools = new Map([["t", ["a b c", "d e f", "g h i", "j k l"]]]);
  const s = poolSource(pools);
  const one = await s("x", 3, 7, "t");
  assert.deepEqual(await s("x", 3, 7, "t"), one);
  assert.equal(new Set(one).size, 3);
  await assert.rejects(s("x", 1, 0, "other"), /no paraphrase pool for task "other"/);
});

test("sampling asks for k samples per variant with the configured settings", async () => {
  const backend = new MockBackend({ generate: (p, j) => `${text(p).split("\n").pop()}-${j}` });
  const g = {
    ...group("a", "Do it."),
    variants: [
      { text: "Do it.", origin: "original" },
      { text: "Please do it: {input}", origin: "rule" },
    ],
  };
  const sets = await sampleCandidates(backend, [g], {
    k: 3,
    temperature: 0.8,
    topP: 0.95,
    maxTokens: 5,
    seed: 4,
    chat: false,
    batch: 1,
  });
  assert.deepEqual(
    sets.map((s) => [s.variant, s.prompt, s.candidates]),
    [
      [0, "Do it.\n\nx", ["x-0", "x-1", "x-2"]],
      [1, "Please do it: x", ["Please do it: x-0", "Please do it: x-1", "Please do it: x-2"]],
    ],
  );
  const req = backend.calls[0]?.input as { n: number; temperature: number; topP: number; seed: number };
  assert.deepEqual([req.n, req.temperature, req.topP, req.seed], [3, 0.8, 0.95, 4]);
});

test("sampling a seeded subset of groups and variants", async () => {
  const backend = new MockBackend({ generate: () => "r" });
  const groups = ["a", "b", "c", "d"].map((id) => ({
    ...group(id, "Do it."),
    variants: ["v0", "v1", "v2"].map((text) => ({ text, origin: "rule" })),
  }));
  const opts = {
    k: 1,
    temperature: 0.8,
    topP: 0.95,
    maxTokens: 5,
    seed: 9,
    chat: false,
    batch: 8,
    maxGroups: 2,
    variantsPerGroup: 2,
  };
  const sets = await sampleCandidates(backend, groups, opts);
  assert.equal(sets.length, 4);
  assert.equal(new Set(sets.map((x) => x.id)).size, 2);
  assert.deepEqual(
    (await sampleCandidates(backend, groups, opts)).map((x) => [x.id, x.variant]),
    sets.map((x) => [x.id, x.variant]),
  );
});

test("an instruction's wordings: each group's own, then those other groups of it trained with", () => {
  const withWordings = (id: string, instruction: string, extra: string[]) => ({
    ...group(id, instruction),
    variants: [{ text: instruction, origin: "original" }, ...extra.map((text) => ({ text, origin: "pool" }))],
  });
  const trained = [
    withWordings("a", "Do it.", ["p1", "p2"]),
    withWordings("b", "Do it.", ["p2", "p3"]),
    withWordings("c", "Other.", ["q1"]),
  ];
  const texts = (gs: ParaphraseGroup[]) => gs.map((g) => g.variants.map((v) => v.text));
  // The group's own wordings keep their numbers; the instruction's others follow, each once.
  assert.deepEqual(texts(withInstructionWordings(trained, trained)), [
    ["Do it.", "p1", "p2", "p3"],
    ["Do it.", "p2", "p3", "p1"],
    ["Other.", "q1"],
  ]);
  // Stage 2's own prompts (new inputs) take their instruction's wordings from training; an instruction
  // training never had keeps the prompt's own; the same text under another task is another instruction.
  const prompts = [
    withWordings("n1", "Do it.", []),
    withWordings("n2", "Unseen.", ["u1"]),
    { ...withWordings("n3", "Do it.", []), task: "other-task" },
  ];
  assert.deepEqual(texts(withInstructionWordings(prompts, trained)), [
    ["Do it.", "p1", "p2", "p3"],
    ["Unseen.", "u1"],
    ["Do it."],
  ]);
});

test("the judge reward is P(Yes) normalised against P(No), averaged over judge prompts", async () => {
  // log P(Yes) = log 0.6 and log P(No) = log 0.2 for candidate "good"; the reverse for "bad".
  const backend = new MockBackend({
    score: (it) => {
      const good = text(it.prompt).includes("good");
      return Math.log(it.completion === "Yes" ? (good ? 0.6 : 0.2) : good ? 0.2 : 0.6);
    },
  });
  const sets: CandidateSet[] = [{ id: "a", variant: 0, prompt: "p", candidates: ["good", "bad"] }];
  const health = await rewardCandidates(backend, sets, {
    method: "judge",
    judgePrompts: ["{prompt} {response}?", "{response}!"],
    chat: false,
    batch: 3,
  });
  assert.ok(Math.abs((sets[0]?.rewards?.[0] ?? 0) - 0.75) < 1e-12);
  assert.ok(Math.abs((sets[0]?.rewards?.[1] ?? 0) - 0.25) < 1e-12);
  assert.equal(health.candidates, 2);
  assert.equal(health.tieRate, 0);
});

test("unguarded agreement and reference rewards; judge health counts ties", async () => {
  const sets: CandidateSet[] = [
    { id: "a", variant: 0, prompt: "p", candidates: ["red kite", "blue car"] },
    { id: "a", variant: 1, prompt: "q", candidates: ["red kite"] },
  ];
  await rewardCandidates(new MockBackend(), sets, {
    method: "agreement_unguarded",
    judgePrompts: [],
    chat: false,
    batch: 1,
  });
  assert.deepEqual(sets[0]?.rewards, [1, 0]);
  await rewardCandidates(new MockBackend(), sets, {
    method: "reference",
    judgePrompts: [],
    chat: false,
    batch: 1,
    references: new Map([["a", ["blue car"]]]),
  });
  assert.deepEqual(sets[0]?.rewards, [0, 1]);
  const h = judgeHealth("judge", [
    [0.5, 0.5],
    [0.1, 0.9],
  ]);
  assert.equal(h.tieRate, 0.5);
  assert.equal(
    h.histogram.counts.reduce((a, b) => a + b, 0),
    4,
  );
});

test("pairs: best-of-item pairs each wording's worst with the best of any wording of the item", () => {
  const sets: CandidateSet[] = [
    // Wording 0 agrees with itself ("x" twice): best-worst gives nothing, best-of-item pairs it with "y".
    { id: "a", variant: 0, prompt: "p0", candidates: ["x", "x"], rewards: [0.3, 0.3] },
    { id: "a", variant: 1, prompt: "p1", candidates: ["y", "z"], rewards: [0.9, 0.6] },
    // Its own best is the item's best: the pair is the set's own best-worst.
    { id: "a", variant: 2, prompt: "p2", candidates: ["y", "x"], rewards: [0.9, 0.2] },
    // Another item's best never crosses over; an empty candidate is never the item's best.
    { id: "b", variant: 0, prompt: "q0", candidates: ["u", "u"], rewards: [0.5, 0.5] },
    { id: "b", variant: 1, prompt: "q1", candidates: ["", "v"], rewards: [1, 0.52] },
  ];
  const { pairs, summary } = buildPairs(sets, { mode: "best-of-item", minGap: 0.1 });
  assert.deepEqual(
    pairs.map((p) => [p.id, p.prompt, p.chosen, p.rejected, Math.round(p.gap * 100)]),
    [
      ["a", "p0", "y", "x", 60],
      ["a", "p1", "y", "z", 30],
      ["a", "p2", "y", "x", 70],
    ],
  );
  // "b": its best is "v" (0.52), 0.02 above "u", under the gap.
  assert.equal(summary.droppedSets, 2);
  assert.equal(buildPairs(sets, { mode: "best-worst", minGap: 0.1 }).pairs.length, 2);
});

test("pairs: best against worst above the gap; ties and identical texts dropped; all-pairs mode", () => {
  const sets: CandidateSet[] = [
    { id: "a", variant: 0, prompt: "p", candidates: ["x", "y", "z"], rewards: [0.2, 0.9, 0.5] },
    { id: "b", variant: 0, prompt: "q", candidates: ["u", "v"], rewards: [0.5, 0.52] },
    { id: "c", variant: 0, prompt: "r", candidates: ["w", "w"], rewards: [0.1, 0.9] },
    // The empty candidate is rewarded best but enters no pair: the trainer refuses an empty response.
    { id: "e", variant: 0, prompt: "t", candidates: ["", "s"], rewards: [0.9, 0.1] },
  ];
  const bw = buildPairs(sets, { mode: "best-worst", minGap: 0.1 });
  assert.deepEqual(
    bw.pairs.map((p) => [p.id, p.chosen, p.rejected]),
    [["a", "y", "x"]],
  );
  assert.equal(bw.summary.droppedSets, 3);
  const all = buildPairs(sets, { mode: "all", minGap: 0.1 });
  assert.deepEqual(
    all.pairs.map((p) => [p.chosen, p.rejected]),
    [
      ["y", "z"],
      ["y", "x"],
      ["z", "x"],
    ],
  );
  assert.throws(
    () => buildPairs([{ id: "d", variant: 0, prompt: "s", candidates: ["a"] }], { mode: "all", minGap: 0 }),
    /no rewards/,
  );
});
