import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
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
import {
  FIGURE_NAMES,
  type FigureName,
  type SeedEstimate,
  type SeedSummary,
} from "../metrics/seed-summary.js";
import { createRng } from "../util/random.js";
import { renderHtml } from "./render-html.js";
import { buildReportData, meanTaskRows, type ReportData } from "./report-data.js";

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
      const { views, ...overall } = row.systems[s]!;
      // The items mix the origins "original" and "rule": a view of each (see the views test below).
      assert.deepEqual(Object.keys(views), ["original", "rule"]);
      assert.deepEqual(overall, {
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
  const { views: _v, ...beforeViews } = { ...old, collapse: {} };
  writeFileSync(file, JSON.stringify(beforeViews));
  await assert.rejects(
    buildReportData(runDir, { config: { systems: ["sft"] }, stages: {} }),
    /no views by wording origin \(written by an older calign\)/,
  );
});

/** Items answered under two seed wordings and two held-out ones; `answer` per gold and origin. */
function seenAndUnseen(answer: (gold: string, origin: string) => string): ParaphraseGroup[] {
  return Array.from({ length: 12 }, (_, i) => {
    const gold = i % 2 === 0 ? "yes" : "no";
    return {
      id: `q-${i}`,
      task: "t",
      instruction: "seen 0",
      input: `question ${i}`,
      references: [gold],
      variants: ["seed", "seed", "held-out", "held-out"].map((origin, v) => ({
        text: `${origin === "seed" ? "seen" : "unseen"} ${v % 2}`,
        origin,
        response: answer(gold, origin),
      })),
    };
  });
}

test("report-data and report.html: each system per wording origin, the gap, and per task per origin", async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), "calign-report-views-"));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  // sft is right under the seed wordings and says "yes" under held-out ones; cat is always right.
  const answered: [string, ParaphraseGroup[]][] = [
    ["sft", seenAndUnseen((gold, origin) => (origin === "seed" ? gold : "yes"))],
    ["cat", seenAndUnseen((gold) => gold)],
  ];
  await writeEvaluation(join(runDir, "eval"), answered, { resamples: 50, seed: 0, level: 0.95 });
  const report = await buildReportData(runDir, { config: { systems: ["sft", "cat"] }, stages: {} });
  const sft = report.systems[0]!;
  assert.deepEqual(Object.keys(sft.views), ["seed", "held-out"]);
  assert.deepEqual(
    [sft.views.seed!.accuracy.value, sft.views.seed!.cr.value, sft.views.seed!.collapse.inputSensitivity],
    [1, 1, 1],
  );
  const held = sft.views["held-out"]!;
  assert.deepEqual([held.accuracy.value, held.cr.value, held.collapse.inputSensitivity], [0.5, 1, 0]);
  assert.equal(report.systems[1]!.views["held-out"]!.accuracy.value, 1);
  // Every variant: half the answers of the "no" items are wrong; they disagree in 4 of 6 pairs.
  assert.equal(sft.accuracy.value, 0.75);
  assert.equal(sft.cr.value, (1 + 1 / 3) / 2);
  const task = report.perTask[0]!.systems.sft!;
  assert.deepEqual(
    [task.views.seed!.accuracy, task.views["held-out"]!.accuracy, task.views["held-out"]!.inputSensitivity],
    [1, 0.5, 0],
  );

  const html = renderHtml(report);
  assert.match(html, /<h2>Every wording of the evaluation set \(percent, 95% intervals\)<\/h2>/);
  // The gap columns, held-out − seed: accuracy −50, CR 0, input sensitivity −100 points for sft.
  const row = html.slice(html.indexOf('id="views-table"')).split("<tr>")[3]!;
  assert.ok(row.startsWith("<td>SFT</td>"), row);
  assert.ok(
    row.includes('<td class="num">-50.0</td><td class="num">+0.0</td><td class="num">-100.0</td></tr>'),
    row,
  );
  assert.match(html, /<th>acc seed<\/th><th>sens seed<\/th><th>CR seed<\/th><th>acc held-out<\/th>/);
});

const EMPTY_REPORT: ReportData = {
  calign: "0",
  created: "now",
  runDir: "/run",
  choices: {},
  config: {},
  stages: {},
  systems: [],
  comparisons: [],
  flags: [],
  perTask: [],
  judge: null,
  pairs: [],
  examples: [],
  curves: {},
  headline: "",
};

test("report.html over seeds: the seen and unseen table with its gap, and the targets met or missed", () => {
  const estimate = (mean: number, lo: number, hi: number): SeedEstimate => ({
    mean,
    ci: [lo, hi],
    values: [],
  });
  const figs = (x: number) =>
    Object.fromEntries(FIGURE_NAMES.map((f) => [f, estimate(x, x - 0.01, x + 0.01)])) as Record<
      FigureName,
      SeedEstimate
    >;
  const view = (x: number): SeedSummary => ({
    seeds: [0, 1, 2, 3, 4],
    systems: [{ name: "cat", figures: figs(x) }],
    differences: [],
  });
  const data = {
    ...EMPTY_REPORT,
    seedViews: {
      views: { seed: view(0.8), "held-out": view(0.6) },
      gap: { later: "held-out", earlier: "seed", systems: [{ name: "cat", figures: figs(-0.2) }] },
    },
    targets: [
      {
        claim: "SFT(IA)+CAT − SFT(IA), held-out CR",
        rule: "r1",
        estimate: estimate(0.04, 0.01, 0.07),
        status: "met",
      },
      {
        claim: "SFT(IA)+CAT − SFT(IA), held-out accuracy",
        rule: "r2",
        estimate: estimate(-0.03, -0.05, -0.01),
        status: "missed",
      },
    ],
  } satisfies ReportData;
  const html = renderHtml(data);
  assert.match(html, /Wordings seen in training and unseen, over 5 seeds/);
  const row = html.slice(html.indexOf('id="seed-views"')).split("<tr>")[3]!;
  assert.ok(
    row.startsWith(
      '<td>SFT (IA) + CAT</td><td class="num">80.0 <span class="variant">[79.0, 81.0]</span></td>',
    ),
    row,
  );
  assert.ok(row.includes('<td class="num">-20.0 <span class="variant">[-21.0, -19.0]</span></td></tr>'), row);
  assert.ok(html.indexOf('id="targets"') < html.indexOf('id="seed-views"'), "the targets come first");
  assert.match(
    html,
    /<li class="ok"><b>met<\/b>: SFT\(IA\)\+CAT − SFT\(IA\), held-out CR \+4\.0 <span class="variant">\[1\.0, 7\.0\]<\/span> points/,
  );
  assert.match(html, /<li class="wrong"><b>missed<\/b>: SFT\(IA\)\+CAT − SFT\(IA\), held-out accuracy -3\.0/);
});

test("per-task rows over seeds: each figure's mean over the seeds that have it, per system and view", () => {
  const figures = (accuracy: number | null, cr: number, inputSensitivity: number | null) => ({
    accuracy,
    cr,
    crCorrect: null,
    inputSensitivity,
    items: 4,
  });
  const row = (a: number | null, cr: number, sens: number | null) => ({
    task: "t",
    chance: 0.5,
    majority: 0.75,
    majorityAnswer: "yes",
    systems: {
      sft: { ...figures(a, cr, sens), views: { seed: figures(a, 1, sens), "held-out": figures(0.5, cr, 0) } },
    },
  });
  const [mean] = meanTaskRows([[row(0.2, 0.4, null)], [row(0.4, 0.8, 0.5)], [row(null, 0.3, 0.2)]]);
  const sft = mean!.systems.sft!;
  assert.ok(Math.abs(sft.accuracy! - 0.3) < 1e-12 && Math.abs(sft.cr! - 0.5) < 1e-12);
  assert.ok(Math.abs(sft.inputSensitivity! - 0.35) < 1e-12);
  assert.equal(sft.crCorrect, null);
  assert.deepEqual(
    [sft.views["held-out"]!.accuracy, sft.views.seed!.cr, mean!.chance, mean!.majority, sft.items],
    [0.5, 1, 0.5, 0.75, 4],
  );
});

/** The report of a one-system run whose `stage` has `summary` (a fresh run folder per test). */
async function withStageSummary(t: TestContext, stage: string) {
  const runDir = mkdtempSync(join(tmpdir(), `calign-report-${stage}-`));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  await writeEvaluation(join(runDir, "eval"), [["sft", answers(1)]], { resamples: 20, seed: 0, level: 0.95 });
  return (summary: unknown) =>
    buildReportData(runDir, { config: { systems: ["sft"] }, stages: { [stage]: { summary } } });
}

test("report: the judge's health, with a plain-words verdict when the judge is unhealthy", async (t) => {
  const report = await withStageSummary(t, "reward");
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

test("report: the pairs against the checker, from the pairs stage's summary", async (t) => {
  const report = await withStageSummary(t, "pairs");
  const checker = {
    checked: 8,
    chosenCorrect: 0.5,
    rejectedCorrect: 0.25,
    rightOverWrong: 0.375,
    wrongOverRight: 0.125,
    bothWrong: 0.375,
    bothRight: 0.125,
  };
  const r = await report({ sets: 10, pairs: 9, droppedSets: 1, meanGap: 0.3, checker });
  assert.deepEqual(r.pairs, [checker]);
  const html = renderHtml(r);
  const table = html.slice(html.indexOf('id="pair-checker"'));
  assert.ok(
    table.includes(
      '<td class="num">8</td><td class="num">50.0%</td><td class="num">25.0%</td><td class="num">37.5%</td><td class="num">12.5%</td><td class="num">37.5%</td><td class="num">12.5%</td>',
    ),
    table.slice(0, 600),
  );
  // Without references, or from before the checker figures, or with no pairs stage: no table.
  for (const summary of [
    { sets: 1, pairs: 1, droppedSets: 0, meanGap: 0.3, checker: null },
    { sets: 1 },
    undefined,
  ]) {
    const none = await report(summary);
    assert.deepEqual(none.pairs, []);
    assert.doesNotMatch(renderHtml(none), /pair-checker/);
  }
});
