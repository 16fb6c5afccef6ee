import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeEvaluation } from "../align/stage-files.js";
import type { ParaphraseGroup } from "../data/index.js";
import {
  compareSystems,
  evaluateItems,
  exactMatchQuality,
  FIGURES,
  rougeLQuality,
  rougeLSimilarity,
} from "../metrics/index.js";
import { createRng } from "../util/random.js";
import { buildReportData } from "./report-data.js";

const WORDS = "yes no maybe the answer is four 4 blue red cat dog".split(" ");

/** Held-out groups of three tasks, each system answering every variant with a few random words. */
function answers(seed: number): ParaphraseGroup[] {
  const rng = createRng(seed);
  const say = () => Array.from({ length: 1 + rng.int(3) }, () => WORDS[rng.int(WORDS.length)]!).join(" ");
  return Array.from({ length: 24 }, (_, i) => ({
    id: `item-${i}`,
    task: `task-${i % 3}`,
    instruction: "Answer.",
    input: `question ${i}`,
    references: [["yes", "no", "the answer is four"][i % 3]!],
    variants: ["original", "rule", "rule"].map((origin, v) => ({
      text: `wording ${v}`,
      origin,
      response: say(),
    })),
  }));
}

test("report-data: its figures are the evaluate stage's, and equal a fresh evaluation of the responses", async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), "calign-report-data-"));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const systems = ["base", "sft", "cat"];
  const answered = systems.map((s, i): [string, ParaphraseGroup[]] => [s, answers(i + 1)]);
  await writeEvaluation(join(runDir, "eval"), answered, { resamples: 200, seed: 0, level: 0.95 });
  const report = await buildReportData(runDir, {
    config: { systems, evaluate: { bootstrap: 200 } },
    stages: {},
  });

  // The reference: every figure recomputed from the responses alone.
  const similarity = rougeLSimilarity();
  const fresh = await Promise.all(
    answered.map(async ([, groups]) => ({
      acc: await evaluateItems(groups, { similarity, quality: exactMatchQuality }),
      rl: await evaluateItems(groups, { similarity, quality: rougeLQuality() }),
    })),
  );
  const bootstrap = { resamples: 200, seed: 0, level: 0.95 };
  assert.deepEqual(
    report.comparisons,
    [1, 2].map((i) => {
      const acc = compareSystems(FIGURES, fresh[i]!.acc, fresh[i - 1]!.acc, bootstrap);
      const rl = compareSystems(FIGURES, fresh[i]!.rl, fresh[i - 1]!.rl, bootstrap);
      return {
        a: systems[i],
        b: systems[i - 1],
        accuracy: acc.figures.quality_mean,
        rougeL: rl.figures.quality_mean,
        cr: rl.figures.cr_macro,
      };
    }),
  );
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  for (const row of report.perTask) {
    systems.forEach((s, i) => {
      const inTask = (it: { id: string }) =>
        Number(it.id.split("-")[1]) % 3 === Number(row.task.split("-")[1]);
      assert.deepEqual(row.systems[s], {
        accuracy: mean(fresh[i]!.acc.filter(inTask).map((it) => it.quality!.mean)),
        cr: mean(fresh[i]!.rl.filter(inTask).map((it) => it.consistency!)),
        items: 8,
      });
    });
  }
  assert.deepEqual(
    report.perTask.map((r) => r.task),
    ["task-0", "task-1", "task-2"],
  );
  // The examples: the first system's six least consistent items, in file order.
  const leastConsistent = [...fresh[0]!.rl].sort((x, y) => x.consistency! - y.consistency!).slice(0, 6);
  assert.deepEqual(
    report.examples.map((e) => e.id),
    answered[0]![1].map((g) => g.id).filter((id) => leastConsistent.some((it) => it.id === id)),
  );
  assert.equal(report.systems[1]!.cr.value, mean(fresh[1]!.rl.map((it) => it.consistency!)));
});
