// Views by wording origin on a hand-made evaluation set answered by a mock backend: a model that is
// right under the seed wordings and always says "yes" under held-out ones. Every expected figure is
// worked out by hand below, from the responses alone.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MockBackend, type Prompt } from "../backends/index.js";
import type { ParaphraseGroup } from "../data/index.js";
import type { SystemMetricsFile } from "./evaluate.js";
import { respond } from "./evaluate.js";
import { writeEvaluation } from "./stage-files.js";

const WORDINGS = [
  { text: "Seen one: {input}", origin: "seed" },
  { text: "Seen two: {input}", origin: "seed" },
  { text: "Unseen one: {input}", origin: "held-out" },
  { text: "Unseen two: {input}", origin: "held-out" },
];
const group = (id: string, input: string, answer: string): ParaphraseGroup => ({
  id,
  task: "t",
  instruction: WORDINGS[0]!.text,
  input,
  variants: WORDINGS.map((w) => ({ ...w })),
  references: [answer],
});
const GROUPS = [group("a", "is it?", "yes"), group("b", "is it not?", "no")];

/** Right under seed wordings ("Seen ..."), "yes" under any other. */
const model = () =>
  new MockBackend({
    generate: (p: Prompt) => {
      const text = typeof p === "string" ? p : p.map((m) => m.content).join("\n");
      if (!text.startsWith("Seen")) return "yes";
      return text.endsWith("not?") ? "no" : "yes";
    },
  });

test("evaluate reports every figure per wording origin, each view over its own variants only", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-views-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const opts = { chat: false, maxTokens: 4, batch: 3 };
  const answered: [string, ParaphraseGroup[]][] = [
    ["sft", await respond(model(), GROUPS, opts)],
    ["cat", await respond(model(), GROUPS, opts)],
  ];
  const summary = await writeEvaluation(dir, answered, { resamples: 50, seed: 0, level: 0.95 });
  const m = JSON.parse(readFileSync(join(dir, "sft.metrics.json"), "utf8")) as SystemMetricsFile;
  assert.deepEqual(Object.keys(m.views), ["seed", "held-out"]);

  // Seed wordings: a says yes, yes; b says no, no. All right, each item agrees with itself, and the
  // one wording-sharing pair of different gold answers (per wording) changes its answer.
  const seed = m.views.seed!;
  assert.equal(seed.accuracy.figures.quality_mean!.value, 1);
  assert.equal(seed.rougeL.figures.cr_macro!.value, 1);
  assert.equal(seed.accuracy.figures.cr_correct!.value, 1);
  assert.equal(seed.collapse.macro.inputSensitivity, 1);
  assert.equal(seed.collapse.macro.sensitivityPairs, 2);
  // Held-out wordings: "yes" everywhere: a right, b wrong; perfectly consistent; blind to its input.
  const held = m.views["held-out"]!;
  assert.equal(held.accuracy.figures.quality_mean!.value, 0.5);
  assert.equal(held.rougeL.figures.cr_macro!.value, 1);
  assert.equal(held.accuracy.figures.cr_correct!.value, 0.5);
  assert.equal(held.collapse.macro.inputSensitivity, 0);
  // Every variant: b's four answers no, no, yes, yes agree in 2 of 6 pairs, so CR = (1 + 1/3) / 2.
  assert.equal(m.accuracy.figures.quality_mean!.value, 0.75);
  assert.ok(Math.abs(m.rougeL.figures.cr_macro!.value! - 2 / 3) < 1e-12);
  assert.equal(m.collapse.macro.inputSensitivity, 0.5);

  // The summary carries the same views; the second system is compared with the first view by view.
  assert.equal(summary.sft!.views["held-out"]!.accuracy.value, 0.5);
  assert.equal(summary.cat!.views.seed!.cr.value, 1);
  const cat = JSON.parse(readFileSync(join(dir, "cat.metrics.json"), "utf8")) as SystemMetricsFile;
  assert.equal(cat.views["held-out"]!.accuracy.comparison?.other, "sft");
  assert.equal(cat.views["held-out"]!.accuracy.comparison!.figures.quality_mean!.difference, 0);
});

test("a set whose wordings share one origin has no views", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-views-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const one = GROUPS.map((g) => ({ ...g, variants: g.variants.filter((v) => v.origin === "held-out") }));
  const answered = await respond(model(), one, { chat: false, maxTokens: 4, batch: 8 });
  const summary = await writeEvaluation(dir, [["sft", answered]], { resamples: 20, seed: 0, level: 0.95 });
  assert.deepEqual(summary.sft!.views, {});
  assert.equal(summary.sft!.accuracy.value, 0.5);
});
