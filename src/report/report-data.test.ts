import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { checkerAgreement, judgeHealth } from "../align/judge-health.js";
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
import { renderHtml } from "./render-html.js";
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
        crCorrect: acc.figures.cr_correct,
      };
    }),
  );
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  for (const row of report.perTask) {
    const k = Number(row.task.split("-")[1]);
    // Every item of task-k has the same reference: the majority baseline is 1, and no pair of items
    // has differing gold answers, so input sensitivity has no pair.
    assert.equal(row.majority, 1);
    assert.equal(row.majorityAnswer, ["yes", "no", "the answer is four"][k]);
    assert.equal(row.chance, null, "not the built-in suite: no chance level");
    systems.forEach((s, i) => {
      const inTask = (it: { id: string }) => Number(it.id.split("-")[1]) % 3 === k;
      assert.deepEqual(row.systems[s], {
        accuracy: mean(fresh[i]!.acc.filter(inTask).map((it) => it.quality!.mean)),
        cr: mean(fresh[i]!.rl.filter(inTask).map((it) => it.consistency!)),
        crCorrect: mean(fresh[i]!.acc.filter(inTask).map((it) => it.correctSimSum! / it.pairs)),
        inputSensitivity: null,
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
  assert.equal(
    report.systems[1]!.crCorrect.value,
    mean(fresh[1]!.acc.map((it) => it.correctSimSum! / it.pairs)),
  );
});

/** Yes/no items under two shared wordings; `answer` says what a system responds to an item. */
function yesNo(answer: (gold: string, i: number, v: number) => string): ParaphraseGroup[] {
  return Array.from({ length: 30 }, (_, i) => {
    const gold = i % 3 === 0 ? "no" : "yes";
    return {
      id: `q-${i}`,
      task: i % 2 === 0 ? "even" : "odd",
      instruction: "Answer.",
      input: `question ${i}`,
      references: [gold],
      variants: [0, 1].map((v) => ({
        text: `wording ${v}`,
        origin: "held-out",
        response: answer(gold, i, v),
      })),
    };
  });
}

test("report-data: the collapse flag reaches report.json and the top of report.html", async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), "calign-report-flags-"));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  // sft_ia is right on two items in three and says "unsure" under one wording on the rest; cat says
  // "yes" to everything (CR 100 %, input sensitivity 0); a third system is always right.
  const noisy = yesNo((gold, i, v) => (i % 3 === 1 && v === 1 ? "unsure" : gold));
  const constant = yesNo(() => "yes");
  const oracle = yesNo((gold) => gold);
  const systems = ["sft_ia", "cat", "oracle"];
  const answered: [string, ParaphraseGroup[]][] = [
    ["sft_ia", noisy],
    ["cat", constant],
    ["oracle", oracle],
  ];
  const summary = await writeEvaluation(join(runDir, "eval"), answered, {
    resamples: 50,
    seed: 0,
    level: 0.95,
  });
  const report = await buildReportData(runDir, { config: { systems }, stages: {} });
  // What calign evaluate prints carries the same flag and the macro diagnostics.
  assert.equal(summary.sft_ia!.collapseFlag, null);
  assert.deepEqual(summary.cat!.collapseFlag, report.flags[0]);
  assert.equal(summary.oracle!.collapseFlag, null);
  assert.deepEqual(
    [
      summary.cat!.collapse.inputSensitivity,
      summary.cat!.collapse.cr,
      summary.oracle!.collapse.inputSensitivity,
    ],
    [0, 1, 1],
  );
  // Only cat is flagged: its CR rose over sft_ia's while input sensitivity and accuracy fell; the
  // oracle's CR over cat's did not rise (both 100 %).
  assert.equal(report.flags.length, 1);
  const flag = report.flags[0]!;
  assert.deepEqual([flag.system, flag.baseline], ["cat", "sft_ia"]);
  assert.equal(flag.figures.inputSensitivity.system, 0);
  assert.equal(flag.figures.cr.system, 1);
  assert.ok(flag.figures.accuracy.difference! < 0);
  assert.deepEqual(flag.tasks, ["even", "odd"]);
  const html = renderHtml(report);
  const top = html.indexOf('id="collapse-flags"');
  assert.ok(top > 0 && top < html.indexOf('id="main-table"'), "the flag comes before the tables");
  assert.match(
    html,
    /class="flag"><b>Collapse flag<\/b><ul><li><b>SFT \(IA\) \+ CAT vs SFT \(IA\)<\/b>: CR \+/,
  );
  // A genuine improvement (sft_ia -> oracle: CR, accuracy and input sensitivity all rise) is not
  // flagged, and the page says so.
  await writeEvaluation(join(runDir, "eval"), [answered[0]!, answered[2]!], {
    resamples: 50,
    seed: 0,
    level: 0.95,
  });
  const quiet = await buildReportData(runDir, { config: { systems: ["sft_ia", "oracle"] }, stages: {} });
  assert.equal(quiet.comparisons.length, 1);
  assert.deepEqual(quiet.flags, []);
  assert.match(renderHtml(quiet), /id="collapse-flags" class="noflag">No collapse flag/);
});

test("report-data: a metrics file from before the collapse diagnostics is refused by name", async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), "calign-report-old-"));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  await writeEvaluation(join(runDir, "eval"), [["sft", answers(1)]], { resamples: 20, seed: 0, level: 0.95 });
  const file = join(runDir, "eval", "sft.metrics.json");
  const { collapse: _, ...old } = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, JSON.stringify(old));
  await assert.rejects(
    buildReportData(runDir, { config: { systems: ["sft"] }, stages: {} }),
    new Error(
      `${file}: no collapse figures (written by an older calign); evaluate again: rerun calign run on the run folder (it evaluates again), or calign evaluate`,
    ),
  );
});

test("report: the judge's health, with a plain-words verdict when the judge is unhealthy", async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), "calign-report-judge-"));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  await writeEvaluation(join(runDir, "eval"), [["sft", answers(1)]], { resamples: 20, seed: 0, level: 0.95 });
  const report = (summary: unknown) =>
    buildReportData(runDir, { config: { systems: ["sft"] }, stages: { reward: { summary } } });
  // Right answers ranked above wrong ones but for one tie: AUC (1 + 1 + 1 + 1/2) / 4.
  const healthy = judgeHealth(
    "judge",
    [
      [0.5, 0.5],
      [0.6, 0.4],
    ],
    { checker: checkerAgreement([0.5, 0.5, 0.6, 0.4], [true, false, true, false], true) },
  );
  assert.equal(healthy.checker?.auc, 0.875);
  // At chance: P(Yes) ranks right and wrong answers alike (AUC 0.5), and the one set ties.
  const atChance = judgeHealth("judge", [[0.5, 0.5]], {
    checker: checkerAgreement([0.5, 0.5], [true, false], true),
  });
  const r = await report(atChance);
  assert.equal(r.judge?.checker?.auc, 0.5);
  assert.equal(r.judge?.tieRate, 1);
  assert.equal(r.judge?.warnings.length, 2);
  const html = renderHtml(r);
  assert.match(html, /id="judge-health"/);
  assert.match(
    html,
    /id="judge-verdict" class="flag"><b>Unhealthy self-reward<\/b><ul><li>the judge barely tells right answers from wrong ones: AUC 0\.50/,
  );
  // Healthy: the page says so, with the AUC.
  const fine = await report(healthy);
  assert.deepEqual(fine.judge?.warnings, []);
  assert.match(
    renderHtml(fine),
    /id="judge-verdict" class="noflag">The judge looks healthy: AUC 0\.88 against the checker/,
  );
  // No reward stage: no section; a summary from before the checker figures: reported without them.
  assert.equal((await report(undefined)).judge, null);
  assert.doesNotMatch(renderHtml(await report(undefined)), /judge-health/);
  const { checker: _, meanRange: __, ...old } = healthy;
  const older = await report(old);
  assert.equal(older.judge?.checker, null);
  assert.match(renderHtml(older), /agreement with the checker was not measured/);
});
