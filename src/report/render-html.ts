// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the collapse
// flags first, the paper-style table, the collapse diagnostics, the self-reward judge's health, charts of accuracy and CR per system and
// per task, the per-task table with each task's chance and majority baselines, every system's
// responses to every variant of a few items side by side (disagreements highlighted), and training curves.

import { FIGURE_NAMES, type FigureName } from "../metrics/seed-summary.js";
import { type ReportData, systemTitle } from "./report-data.js";
import { type Bar, barChart, esc, lineChart } from "./svg-charts.js";

/** The report pages' stylesheet (also used by calign check's page). */
export const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f6f6}
.num{text-align:right;font-variant-numeric:tabular-nums}.headline{background:#f3f8ff;border-left:4px solid #4e79a7;padding:8px 12px}
.chart{margin:4px 12px 4px 0}.ct{font-weight:600;font-size:13px}.ax{font-size:11px;fill:#555}.grid{stroke:#eee}.ci{stroke:#222;stroke-width:1.5}
.disagree{background:#fff1cc}.wrong{color:#b00020}.ok{color:#1b7f3b}.variant{color:#555;font-size:12px}pre{white-space:pre-wrap;margin:0}
details{margin:6px 0}code{background:#f4f4f4;padding:0 3px}
.flag{background:#fff4f4;border-left:4px solid #b00020;padding:8px 12px}.noflag{color:#1b7f3b}`;

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : (100 * v).toFixed(1));
const ci = (c: [number, number] | null | undefined) =>
  c ? ` <span class="variant">[${fmt(c[0])}, ${fmt(c[1])}]</span>` : "";

function table(d: ReportData): string {
  const rows = d.systems
    .map(
      (s) =>
        `<tr><td>${esc(systemTitle(s.name))}</td><td class="num">${fmt(s.accuracy.value)}${ci(s.accuracy.ci)}</td><td class="num">${fmt(s.rougeL.value)}${ci(s.rougeL.ci)}</td><td class="num">${fmt(s.cr.value)}${ci(s.cr.ci)}</td><td class="num">${fmt(s.crCorrect.value)}${ci(s.crCorrect.ci)}</td><td class="num">${fmt(s.worstAccuracy.value)}${ci(s.worstAccuracy.ci)}</td></tr>`,
    )
    .join("");
  return `<table id="main-table"><tr><th>system</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th><th>CR on correct answers</th><th>worst-variant accuracy</th></tr>${rows}</table>`;
}

/** The collapse flags, or a line saying there is none; the page opens with them. */
function flags(d: ReportData): string {
  if (d.comparisons.length === 0) return "";
  if (d.flags.length === 0)
    return `<p id="collapse-flags" class="noflag">No collapse flag: no system's CR gain over the system before it came with falling input sensitivity or accuracy (macro over tasks, changes of 1 point or more).</p>`;
  const items = d.flags
    .map(
      (f) =>
        `<li><b>${f.seed === undefined ? "" : `seed ${f.seed}: `}${esc(systemTitle(f.system))} vs ${esc(systemTitle(f.baseline))}</b>: ${esc(f.reason)}.${f.tasks.length === 0 ? "" : ` Tasks where CR rose while input sensitivity or accuracy fell: ${esc(f.tasks.join(", "))}.`}</li>`,
    )
    .join("");
  return `<div id="collapse-flags" class="flag"><b>Collapse flag</b><ul>${items}</ul></div>`;
}

/** Macro over tasks: what a guess scores next to each system's accuracy, input sensitivity and both CRs. */
function collapseTable(d: ReportData): string {
  const rows = d.systems
    .map((s) => {
      const c = s.collapse;
      return `<tr><td>${esc(systemTitle(s.name))}</td><td class="num">${fmt(c.accuracy)}</td><td class="num">${fmt(c.majority)}</td><td class="num">${fmt(c.inputSensitivity)} <span class="variant">(${c.sensitivityPairs} pairs)</span></td><td class="num">${fmt(c.cr)}</td><td class="num">${fmt(c.crCorrect)}</td></tr>`;
    })
    .join("");
  return `<h2>Collapse diagnostics (percent, macro over tasks)</h2>
<p class="variant">Majority baseline: the accuracy of always giving each task's most frequent gold answer (each task's chance level is in the per-task table). Input sensitivity: over pairs of different instances of a task answered under the same wording whose gold answers differ, the share whose answers differ (a model that ignores its input scores 0, one that is always right 100). CR on correct answers: CR where a pair counts only when both answers are correct.</p>
<table id="collapse-table"><tr><th>system</th><th>accuracy</th><th>majority baseline</th><th>input sensitivity</th><th>CR</th><th>CR on correct answers</th></tr>${rows}</table>`;
}

/** The reward stage's judge: spread, ties, agreement with the checker, and a verdict in plain words. */
function judgeHealth(d: ReportData): string {
  const h = d.judge;
  if (h === null) return "";
  const num = (v: number | null | undefined, digits = 3) =>
    v === null || v === undefined || !Number.isFinite(v) ? "n/a" : v.toFixed(digits);
  const c = h.checker;
  const verdict =
    h.warnings.length > 0
      ? `<div id="judge-verdict" class="flag"><b>Unhealthy self-reward</b><ul>${h.warnings.map((w) => `<li>${esc(w)}.</li>`).join("")}</ul></div>`
      : `<p id="judge-verdict" class="noflag">${c?.auc === null || c?.auc === undefined ? "No tie or spread problem; agreement with the checker was not measured (no references for the candidates' items, or one verdict only)." : `The judge looks healthy: AUC ${num(c.auc, 2)} against the checker, ${fmt(h.tieRate)}% of candidate sets tied.`}</p>`;
  return `<h2>Self-reward judge health</h2>
<p class="variant">Rewards of the ${esc(h.method)} method over ${h.candidates} candidates: their spread, the mean gap between a candidate set's best and worst (what a best-worst pair gets), the share of sets whose rewards all tie (no pair comes from them), and the share of candidates the judge accepts (P(Yes) ≥ 0.5). Against the checker (normalised exact match to the item's references): the share of candidates it accepts, the share where the judge's verdict (P(Yes) ≥ 0.5) is the checker's, and the AUC of P(Yes) (of the reward, for methods without one): 0.5 is chance, 1 a perfect judge.</p>
<table id="judge-health"><tr><th>method</th><th>mean reward</th><th>std</th><th>mean within-set range</th><th>tie rate</th><th>judge accepts</th><th>checked candidates</th><th>correct (checker)</th><th>verdict agreement</th><th>AUC</th></tr>
<tr><td>${esc(h.method)}</td><td class="num">${num(h.mean)}</td><td class="num">${num(h.std)}</td><td class="num">${num(h.meanRange)}</td><td class="num">${fmt(h.tieRate)}%</td><td class="num">${h.accepted === null || h.accepted === undefined ? "n/a" : `${fmt(h.accepted)}%`}</td><td class="num">${c?.candidates ?? 0}</td><td class="num">${c ? `${fmt(c.correct)}%` : "n/a"}</td><td class="num">${c?.agreement === null || c?.agreement === undefined ? "n/a" : `${fmt(c.agreement)}%`}</td><td class="num">${num(c?.auc, 2)}</td></tr></table>${verdict}`;
}

const FIGURE_TITLES: Record<FigureName, string> = {
  accuracy: "accuracy",
  rougeL: "ROUGE-L",
  cr: "CR",
  crCorrect: "CR on correct answers",
  inputSensitivity: "input sensitivity",
};

function seedTables(d: ReportData): string {
  const s = d.seedSummary;
  if (s === undefined) return "";
  const est = (e: { mean: number; ci: [number, number] | null }) =>
    `<td class="num">${fmt(e.mean)}${ci(e.ci)}</td>`;
  const signed = (e: { mean: number; ci: [number, number] | null }) =>
    `<td class="num">${e.mean >= 0 ? "+" : ""}${fmt(e.mean)}${ci(e.ci)}</td>`;
  const rows = s.systems
    .map(
      (x) =>
        `<tr><td>${esc(systemTitle(x.name))}</td>${FIGURE_NAMES.map((f) => est(x.figures[f])).join("")}</tr>`,
    )
    .join("");
  const diffs = s.differences
    .map(
      (x) =>
        `<tr><td>${esc(systemTitle(x.a))} − ${esc(systemTitle(x.b))}</td>${FIGURE_NAMES.map((f) => signed(x.figures[f])).join("")}</tr>`,
    )
    .join("");
  const head = FIGURE_NAMES.map((f) => `<th>${FIGURE_TITLES[f]}</th>`).join("");
  return `<h2>Held-out wordings, over ${s.seeds.length} seeds (percent; mean and 95% t-interval over seeds)</h2>
<table id="seed-table"><tr><th>system</th>${head}</tr>${rows}</table>
<table id="seed-differences"><tr><th>difference</th>${head}</tr>${diffs}</table>
<p class="variant">Below: the first seed's run in detail (intervals there are bootstrap intervals over items).</p>`;
}

function comparisons(d: ReportData): string {
  if (d.comparisons.length === 0) return "";
  const cell = (x: { difference: number | null; ci: [number, number] | null }) =>
    `<td class="num">${x.difference === null ? "n/a" : `${x.difference >= 0 ? "+" : ""}${fmt(x.difference)}`}${ci(x.ci)}</td>`;
  const rows = d.comparisons
    .map(
      (c) =>
        `<tr><td>${esc(systemTitle(c.a))} − ${esc(systemTitle(c.b))}</td>${cell(c.accuracy)}${cell(c.rougeL)}${cell(c.cr)}${cell(c.crCorrect)}</tr>`,
    )
    .join("");
  return `<h2>Paired differences (same items, points)</h2><table id="comparisons"><tr><th>difference</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th><th>CR on correct answers</th></tr>${rows}</table>`;
}

function charts(d: ReportData): string {
  const bars = (key: "accuracy" | "cr"): Bar[] =>
    d.systems.map((s) => ({ label: systemTitle(s.name), value: s[key].value, ci: s[key].ci }));
  const perTask = d.perTask
    .map((t) =>
      barChart(
        t.task,
        Object.entries(t.systems).map(([s, v]) => ({ label: systemTitle(s), value: v.cr })),
        260,
        180,
      ),
    )
    .join("");
  return `<div id="charts">${barChart("Accuracy (%) per system", bars("accuracy"))}${barChart("Consistency rate (%) per system", bars("cr"))}</div>
<h2>Per task: consistency rate</h2><div id="task-charts">${perTask}</div>${taskTable(d)}`;
}

function taskTable(d: ReportData): string {
  const names = d.systems.map((s) => s.name);
  const head = names.map((n) => `<th colspan="4">${esc(systemTitle(n))}</th>`).join("");
  const sub = names.map(() => "<th>acc</th><th>sens</th><th>CR</th><th>CR✓</th>").join("");
  const rows = d.perTask
    .map((t) => {
      const cells = names
        .map((n) => {
          const x = t.systems[n];
          // An accuracy at or below what a guess scores is marked: the task is not learned.
          const guess = Math.max(t.chance ?? 0, t.majority ?? 0);
          const cls =
            x?.accuracy !== null && x?.accuracy !== undefined && x.accuracy <= guess ? "num wrong" : "num";
          return `<td class="${cls}">${fmt(x?.accuracy)}</td><td class="num">${fmt(x?.inputSensitivity)}</td><td class="num">${fmt(x?.cr)}</td><td class="num">${fmt(x?.crCorrect)}</td>`;
        })
        .join("");
      return `<tr><td>${esc(t.task)}</td><td class="num">${t.chance === null ? "" : fmt(t.chance)}</td><td class="num">${fmt(t.majority)}${t.majorityAnswer === null ? "" : ` <span class="variant">${esc(t.majorityAnswer)}</span>`}</td>${cells}</tr>`;
    })
    .join("");
  return `<h2>Per task (percent)</h2><p class="variant">chance: 1 / the task's number of options (blank: open answers); majority: always giving the most frequent gold answer (that answer beside it). Per system: accuracy (red: at or below chance or majority), input sensitivity, CR, CR on correct answers.</p>
<table id="task-table"><tr><th rowspan="2">task</th><th rowspan="2">chance</th><th rowspan="2">majority</th>${head}</tr><tr>${sub}</tr>${rows}</table>`;
}

/** The most common response of a system across an item's variants; others are "disagreements". */
function majority(responses: string[]): string {
  const counts = new Map<string, number>();
  for (const r of responses) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function sideBySide(d: ReportData): string {
  const names = d.systems.map((s) => s.name);
  const items = d.examples.map((ex) => {
    const majorities = Object.fromEntries(
      names.map((n) => [n, majority(ex.variants.map((v) => v.responses[n] ?? ""))]),
    );
    const refs = new Set(ex.references.map((r) => r.trim().toLowerCase()));
    const rows = ex.variants
      .map((v) => {
        const cells = names
          .map((n) => {
            const r = v.responses[n] ?? "";
            const cls = [
              r !== majorities[n] ? "disagree" : "",
              refs.has(r.trim().toLowerCase()) ? "ok" : "wrong",
            ].join(" ");
            return `<td class="${cls}"><pre>${esc(r)}</pre></td>`;
          })
          .join("");
        return `<tr><td><pre>${esc(v.text)}</pre><span class="variant">${esc(v.origin)}</span></td>${cells}</tr>`;
      })
      .join("");
    return `<details open class="example"><summary><b>${esc(ex.task ?? "")}</b> · item ${esc(ex.id)} · input <code>${esc(ex.input)}</code> · reference <code>${esc(ex.references.join(" | "))}</code></summary>
<table class="side-by-side"><tr><th>instruction variant</th>${names.map((n) => `<th>${esc(systemTitle(n))}</th>`).join("")}</tr>${rows}</table></details>`;
  });
  return `<h2>Responses to every variant, side by side</h2><p class="variant">Highlighted: a response that differs from the system's most common response to the item; red: not the reference.</p><div id="side-by-side">${items.join("")}</div>`;
}

function curves(d: ReportData): string {
  const loss = lineChart(
    "Training loss",
    Object.entries(d.curves).map(([stage, pts]) => ({
      label: systemTitle(stage),
      points: pts.map((p) => [p.step, p.loss] as [number, number]),
    })),
  );
  const cat = d.curves.cat ?? [];
  const acc = lineChart("CAT rewards/accuracies and margins", [
    {
      label: "accuracies",
      points: cat.map((p) => [p.step, p["rewards/accuracies"] ?? Number.NaN] as [number, number]),
    },
    {
      label: "margins",
      points: cat.map((p) => [p.step, p["rewards/margins"] ?? Number.NaN] as [number, number]),
    },
  ]);
  return `<h2>Training curves</h2><div id="curves">${loss}${acc}</div>`;
}

export function renderHtml(d: ReportData): string {
  const choices = Object.entries(d.choices)
    .map(
      ([k, v]) =>
        `<tr><td>${esc(k)}</td><td>${esc(typeof v === "string" ? v : (JSON.stringify(v) ?? "n/a"))}</td></tr>`,
    )
    .join("");
  const stages = `<details><summary>Stage summaries</summary><pre>${esc(JSON.stringify(d.stages, null, 2))}</pre></details>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>calign report</title><style>${CSS}</style></head><body>
<h1>calign: consistency alignment report</h1>
<p class="variant">calign ${esc(d.calign)} · ${esc(d.created)} · ${esc(d.runDir)}</p>
<p class="headline" id="headline">${esc(d.headline || "one system evaluated")}</p>
${flags(d)}${seedTables(d)}<h2>Held-out wordings (percent, 95% intervals)</h2>${table(d)}${collapseTable(d)}${judgeHealth(d)}${comparisons(d)}${charts(d)}${sideBySide(d)}${curves(d)}
<h2>Choices this run made</h2><table id="choices">${choices}</table>${stages}
</body></html>
`;
}
