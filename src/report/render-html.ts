// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the
// paper-style table, charts of accuracy and CR per system and per task, every system's responses to
// every variant of a few items side by side (disagreements highlighted), and training curves.

import { type ReportData, systemTitle } from "./report-data.js";
import { type Bar, barChart, esc, lineChart } from "./svg-charts.js";

/** The report pages' stylesheet (also used by calign check's page). */
export const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f6f6}
.num{text-align:right;font-variant-numeric:tabular-nums}.headline{background:#f3f8ff;border-left:4px solid #4e79a7;padding:8px 12px}
.chart{margin:4px 12px 4px 0}.ct{font-weight:600;font-size:13px}.ax{font-size:11px;fill:#555}.grid{stroke:#eee}.ci{stroke:#222;stroke-width:1.5}
.disagree{background:#fff1cc}.wrong{color:#b00020}.ok{color:#1b7f3b}.variant{color:#555;font-size:12px}pre{white-space:pre-wrap;margin:0}
details{margin:6px 0}code{background:#f4f4f4;padding:0 3px}`;

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : (100 * v).toFixed(1));
const ci = (c: [number, number] | null | undefined) =>
  c ? ` <span class="variant">[${fmt(c[0])}, ${fmt(c[1])}]</span>` : "";

function table(d: ReportData): string {
  const rows = d.systems
    .map(
      (s) =>
        `<tr><td>${esc(systemTitle(s.name))}</td><td class="num">${fmt(s.accuracy.value)}${ci(s.accuracy.ci)}</td><td class="num">${fmt(s.rougeL.value)}${ci(s.rougeL.ci)}</td><td class="num">${fmt(s.cr.value)}${ci(s.cr.ci)}</td><td class="num">${fmt(s.worstAccuracy.value)}${ci(s.worstAccuracy.ci)}</td></tr>`,
    )
    .join("");
  return `<table id="main-table"><tr><th>system</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th><th>worst-variant accuracy</th></tr>${rows}</table>`;
}

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
        `<tr><td>${esc(systemTitle(x.name))}</td>${est(x.figures.accuracy)}${est(x.figures.rougeL)}${est(x.figures.cr)}</tr>`,
    )
    .join("");
  const diffs = s.differences
    .map(
      (x) =>
        `<tr><td>${esc(systemTitle(x.a))} − ${esc(systemTitle(x.b))}</td>${signed(x.figures.accuracy)}${signed(x.figures.rougeL)}${signed(x.figures.cr)}</tr>`,
    )
    .join("");
  return `<h2>Held-out wordings, over ${s.seeds.length} seeds (percent; mean and 95% t-interval over seeds)</h2>
<table id="seed-table"><tr><th>system</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th></tr>${rows}</table>
<table id="seed-differences"><tr><th>difference</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th></tr>${diffs}</table>
<p class="variant">Below: the first seed's run in detail (intervals there are bootstrap intervals over items).</p>`;
}

function comparisons(d: ReportData): string {
  if (d.comparisons.length === 0) return "";
  const cell = (x: { difference: number | null; ci: [number, number] | null }) =>
    `<td class="num">${x.difference === null ? "n/a" : `${x.difference >= 0 ? "+" : ""}${fmt(x.difference)}`}${ci(x.ci)}</td>`;
  const rows = d.comparisons
    .map(
      (c) =>
        `<tr><td>${esc(systemTitle(c.a))} − ${esc(systemTitle(c.b))}</td>${cell(c.accuracy)}${cell(c.rougeL)}${cell(c.cr)}</tr>`,
    )
    .join("");
  return `<h2>Paired differences (same items, points)</h2><table id="comparisons"><tr><th>difference</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th></tr>${rows}</table>`;
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
  const head = names
    .map((n) => `<th>${esc(systemTitle(n))} acc</th><th>${esc(systemTitle(n))} CR</th>`)
    .join("");
  const rows = d.perTask
    .map(
      (t) =>
        `<tr><td>${esc(t.task)}</td>${names.map((n) => `<td class="num">${fmt(t.systems[n]?.accuracy)}</td><td class="num">${fmt(t.systems[n]?.cr)}</td>`).join("")}</tr>`,
    )
    .join("");
  return `<table id="task-table"><tr><th>task</th>${head}</tr>${rows}</table>`;
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
      ([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === "string" ? v : JSON.stringify(v))}</td></tr>`,
    )
    .join("");
  const stages = `<details><summary>Stage summaries</summary><pre>${esc(JSON.stringify(d.stages, null, 2))}</pre></details>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>calign report</title><style>${CSS}</style></head><body>
<h1>calign: consistency alignment report</h1>
<p class="variant">calign ${esc(d.calign)} · ${esc(d.created)} · ${esc(d.runDir)}</p>
<p class="headline" id="headline">${esc(d.headline || "one system evaluated")}</p>
${seedTables(d)}<h2>Held-out wordings (percent, 95% intervals)</h2>${table(d)}${comparisons(d)}${charts(d)}${sideBySide(d)}${curves(d)}
<h2>Choices this run made</h2><table id="choices">${choices}</table>${stages}
</body></html>
`;
}
