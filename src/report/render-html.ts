// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the targets
// and collapse flags first, the paper-style table (over seeds, and per wording origin when the set mixes
// seed and held-out wordings), the collapse diagnostics, the self-reward judge's health, charts of
// accuracy and CR per system and per task, the per-task table with each task's chance and majority
// baselines, every system's responses to every variant of a few items side by side (disagreements
// highlighted), and training curves.

import { FIGURE_NAMES, type FigureName } from "../metrics/seed-summary.js";
import { ORIGIN } from "../tasks/index.js";
import { type ReportData, systemTitle, type TaskFigures, type TaskRow, type ViewRow } from "./report-data.js";
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

/** A fraction in percent with one decimal ("n/a" when absent). */
export const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? "n/a" : (100 * v).toFixed(1);
/** An interval in percent, small, after its figure ("" when there is none). */
export const interval = (c: [number, number] | null | undefined) =>
  c ? ` <span class="variant">[${percent(c[0])}, ${percent(c[1])}]</span>` : "";

function table(d: ReportData): string {
  const rows = d.systems
    .map(
      (s) =>
        `<tr><td>${esc(systemTitle(s.name))}</td><td class="num">${percent(s.accuracy.value)}${interval(s.accuracy.ci)}</td><td class="num">${percent(s.rougeL.value)}${interval(s.rougeL.ci)}</td><td class="num">${percent(s.cr.value)}${interval(s.cr.ci)}</td><td class="num">${percent(s.crCorrect.value)}${interval(s.crCorrect.ci)}</td><td class="num">${percent(s.worstAccuracy.value)}${interval(s.worstAccuracy.ci)}</td></tr>`,
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
      return `<tr><td>${esc(systemTitle(s.name))}</td><td class="num">${percent(c.accuracy)}</td><td class="num">${percent(c.majority)}</td><td class="num">${percent(c.inputSensitivity)} <span class="variant">(${c.sensitivityPairs} pairs)</span></td><td class="num">${percent(c.cr)}</td><td class="num">${percent(c.crCorrect)}</td></tr>`;
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
      : `<p id="judge-verdict" class="noflag">${c?.auc === null || c?.auc === undefined ? "No tie or spread problem; agreement with the checker was not measured (no references for the candidates' items, or one verdict only)." : `The judge looks healthy: AUC ${num(c.auc, 2)} against the checker, ${percent(h.tieRate)}% of candidate sets tied.`}</p>`;
  return `<h2>Self-reward judge health</h2>
<p class="variant">Rewards of the ${esc(h.method)} method over ${h.candidates} candidates: their spread, the mean gap between a candidate set's best and worst (what a best-worst pair gets), the share of sets whose rewards all tie (no pair comes from them), and the share of candidates the judge accepts (P(Yes) ≥ 0.5). Against the checker (normalised exact match to the item's references): the share of candidates it accepts, the share where the judge's verdict (P(Yes) ≥ 0.5) is the checker's, and the AUC of P(Yes) (of the reward, for methods without one): 0.5 is chance, 1 a perfect judge.</p>
<table id="judge-health"><tr><th>method</th><th>mean reward</th><th>std</th><th>mean within-set range</th><th>tie rate</th><th>judge accepts</th><th>checked candidates</th><th>correct (checker)</th><th>verdict agreement</th><th>AUC</th></tr>
<tr><td>${esc(h.method)}</td><td class="num">${num(h.mean)}</td><td class="num">${num(h.std)}</td><td class="num">${num(h.meanRange)}</td><td class="num">${percent(h.tieRate)}%</td><td class="num">${h.accepted === null || h.accepted === undefined ? "n/a" : `${percent(h.accepted)}%`}</td><td class="num">${c?.candidates ?? 0}</td><td class="num">${c ? `${percent(c.correct)}%` : "n/a"}</td><td class="num">${c?.agreement === null || c?.agreement === undefined ? "n/a" : `${percent(c.agreement)}%`}</td><td class="num">${num(c?.auc, 2)}</td></tr></table>${verdict}`;
}

/** The pairs CAT trains on against the checker: how many teach the right answer, a wrong one, or neither. */
function pairTable(d: ReportData): string {
  if (d.pairs.length === 0) return "";
  const seeds = d.pairs.some((p) => p.seed !== undefined);
  const rows = d.pairs
    .map(
      (p) =>
        `<tr>${seeds ? `<td>${p.seed ?? ""}</td>` : ""}<td class="num">${p.checked}</td><td class="num">${percent(p.chosenCorrect)}%</td><td class="num">${percent(p.rejectedCorrect)}%</td><td class="num">${percent(p.rightOverWrong)}%</td><td class="num">${percent(p.wrongOverRight)}%</td><td class="num">${percent(p.bothWrong)}%</td><td class="num">${percent(p.bothRight)}%</td></tr>`,
    )
    .join("");
  return `<h3>The preference pairs against the checker</h3>
<p class="variant">What stage 2 is taught: of the pairs whose items have references, the share whose chosen and whose rejected answer the checker accepts, and the share that prefer a right answer to a wrong one, a wrong answer to a right one, one wrong answer to another (consistency on a wrong answer at best), or one right answer to another.</p>
<table id="pair-checker"><tr>${seeds ? "<th>seed</th>" : ""}<th>checked pairs</th><th>chosen right</th><th>rejected right</th><th>right over wrong</th><th>wrong over right</th><th>both wrong</th><th>both right</th></tr>${rows}</table>`;
}

const FIGURE_TITLES: Record<FigureName, string> = {
  accuracy: "accuracy",
  rougeL: "ROUGE-L",
  cr: "CR",
  crCorrect: "CR on correct answers",
  inputSensitivity: "input sensitivity",
};

const seedCount = (n: number) => `${n} seed${n === 1 ? "" : "s"}`;

const signedEstimate = (e: { mean: number; ci: [number, number] | null }) =>
  `${e.mean >= 0 ? "+" : ""}${percent(e.mean)}${interval(e.ci)}`;

function seedTables(d: ReportData): string {
  const s = d.seedSummary;
  if (s === undefined) return "";
  const est = (e: { mean: number; ci: [number, number] | null }) =>
    `<td class="num">${percent(e.mean)}${interval(e.ci)}</td>`;
  const rows = s.systems
    .map(
      (x) =>
        `<tr><td>${esc(systemTitle(x.name))}</td>${FIGURE_NAMES.map((f) => est(x.figures[f])).join("")}</tr>`,
    )
    .join("");
  const diffs = s.differences
    .map(
      (x) =>
        `<tr><td>${esc(systemTitle(x.a))} − ${esc(systemTitle(x.b))}</td>${FIGURE_NAMES.map((f) => `<td class="num">${signedEstimate(x.figures[f])}</td>`).join("")}</tr>`,
    )
    .join("");
  const head = FIGURE_NAMES.map((f) => `<th>${FIGURE_TITLES[f]}</th>`).join("");
  return `<h2>Held-out wordings, over ${seedCount(s.seeds.length)} (percent; mean and 95% t-interval over seeds)</h2>
<table id="seed-table"><tr><th>system</th>${head}</tr>${rows}</table>
<table id="seed-differences"><tr><th>difference</th>${head}</tr>${diffs}</table>
<p class="variant">Below: the first seed's run in detail (intervals there are bootstrap intervals over items), except the per-task charts and table, which are means over the seeds.</p>`;
}

/** Over seeds: each system's accuracy, CR and input sensitivity per wording origin, and the gap between two. */
function seedViewTable(d: ReportData): string {
  const v = d.seedViews;
  if (v === undefined) return "";
  const figs: FigureName[] = ["accuracy", "cr", "inputSensitivity"];
  const views = Object.keys(v.views);
  const head = views
    .map((o) => `<th colspan="${figs.length}">${esc(originTitle(o))}</th>`)
    .concat(`<th colspan="${figs.length}">${esc(v.gap.later)} − ${esc(v.gap.earlier)}</th>`)
    .join("");
  const sub = figs
    .map((f) => `<th>${FIGURE_TITLES[f]}</th>`)
    .join("")
    .repeat(views.length + 1);
  const rows = v.gap.systems
    .map((g) => {
      const cells = views.map((o) => {
        const x = v.views[o]!.systems.find((y) => y.name === g.name);
        return figs
          .map(
            (f) =>
              `<td class="num">${x ? `${percent(x.figures[f].mean)}${interval(x.figures[f].ci)}` : "n/a"}</td>`,
          )
          .join("");
      });
      const gap = figs.map((f) => `<td class="num">${signedEstimate(g.figures[f])}</td>`).join("");
      return `<tr><td>${esc(systemTitle(g.name))}</td>${cells.join("")}${gap}</tr>`;
    })
    .join("");
  const n = v.views[views[0]!]?.seeds.length ?? 0;
  return `<h2>Wordings seen in training and unseen, over ${seedCount(n)} (percent; mean and 95% t-interval over seeds)</h2>
<p class="variant">The same held-out instances under the seed wordings training used and under held-out wordings; the gap is taken per seed, then summarised.</p>
<table id="seed-views"><tr><th rowspan="2">system</th>${head}</tr><tr>${sub}</tr>${rows}</table>`;
}

/** The targets set before the run, each met, missed or undecided, with its figure; never left out. */
function targets(d: ReportData): string {
  if (d.targets === undefined || d.targets.length === 0) return "";
  const items = d.targets
    .map(
      (t) =>
        `<li class="${t.status === "met" ? "ok" : t.status === "missed" ? "wrong" : ""}"><b>${t.status}</b>: ${esc(t.claim)} ${signedEstimate(t.estimate)} points <span class="variant">(rule: ${esc(t.rule)})</span></li>`,
    )
    .join("");
  return `<h2>Targets</h2><ul id="targets">${items}</ul>`;
}

function comparisons(d: ReportData): string {
  if (d.comparisons.length === 0) return "";
  const cell = (x: { difference: number | null; ci: [number, number] | null }) =>
    `<td class="num">${x.difference === null ? "n/a" : `${x.difference >= 0 ? "+" : ""}${percent(x.difference)}`}${interval(x.ci)}</td>`;
  const rows = d.comparisons
    .map(
      (c) =>
        `<tr><td>${esc(systemTitle(c.a))} − ${esc(systemTitle(c.b))}</td>${cell(c.accuracy)}${cell(c.rougeL)}${cell(c.cr)}${cell(c.crCorrect)}</tr>`,
    )
    .join("");
  return `<h2>Paired differences (same items, points)</h2><table id="comparisons"><tr><th>difference</th><th>accuracy</th><th>ROUGE-L</th><th>CR</th><th>CR on correct answers</th></tr>${rows}</table>`;
}

/** How the per-task figures were pooled, when over seeds. */
const overSeeds = (d: ReportData) =>
  d.seedSummary === undefined ? "" : `, mean over ${seedCount(d.seedSummary.seeds.length)}`;

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
<h2>Per task: consistency rate${overSeeds(d)}</h2><div id="task-charts">${perTask}</div>${taskTable(d)}`;
}

/** The wording origins the evaluation set mixes, in its order ([] when it has one). */
const viewNames = (d: ReportData): string[] => Object.keys(d.systems[0]?.views ?? {});

const ORIGIN_TITLES: Record<string, string> = {
  [ORIGIN.seed]: "seed wordings (seen in training)",
  [ORIGIN.heldOut]: "held-out wordings (never seen)",
};
const originTitle = (o: string) => ORIGIN_TITLES[o] ?? `${o} wordings`;

function taskTable(d: ReportData): string {
  const names = d.systems.map((s) => s.name);
  const views = viewNames(d);
  // With several wording origins: accuracy, input sensitivity and CR per origin; else over every variant.
  const columns: { title: string; of: (x: TaskRow["systems"][string]) => TaskFigures | undefined }[] =
    views.length === 0
      ? [{ title: "", of: (x) => x }]
      : views.map((o) => ({ title: ` ${o}`, of: (x) => x.views[o] }));
  const perView = views.length === 0 ? ["acc", "sens", "CR", "CR✓"] : ["acc", "sens", "CR"];
  const span = columns.length * perView.length;
  const head = names.map((n) => `<th colspan="${span}">${esc(systemTitle(n))}</th>`).join("");
  const sub = names
    .map(() => columns.map((c) => perView.map((h) => `<th>${h}${esc(c.title)}</th>`).join("")).join(""))
    .join("");
  const rows = d.perTask
    .map((t) => {
      // An accuracy at or below what a guess scores is marked: the task is not learned.
      const guess = Math.max(t.chance ?? 0, t.majority ?? 0);
      const cells = names
        .map((n) =>
          columns
            .map((c) => {
              const x = t.systems[n] === undefined ? undefined : c.of(t.systems[n]);
              const cls =
                x?.accuracy !== null && x?.accuracy !== undefined && x.accuracy <= guess
                  ? "num wrong"
                  : "num";
              const crCorrect = perView.length === 4 ? `<td class="num">${percent(x?.crCorrect)}</td>` : "";
              return `<td class="${cls}">${percent(x?.accuracy)}</td><td class="num">${percent(x?.inputSensitivity)}</td><td class="num">${percent(x?.cr)}</td>${crCorrect}`;
            })
            .join(""),
        )
        .join("");
      return `<tr><td>${esc(t.task)}</td><td class="num">${t.chance === null ? "" : percent(t.chance)}</td><td class="num">${percent(t.majority)}${t.majorityAnswer === null ? "" : ` <span class="variant">${esc(t.majorityAnswer)}</span>`}</td>${cells}</tr>`;
    })
    .join("");
  const what =
    views.length === 0
      ? "accuracy (red: at or below chance or majority), input sensitivity, CR, CR on correct answers"
      : `accuracy (red: at or below chance or majority), input sensitivity and CR on each wording origin (${views.map((o) => esc(originTitle(o))).join(", ")})`;
  return `<h2>Per task (percent${overSeeds(d)})</h2><p class="variant">chance: 1 / the task's number of options (blank: open answers); majority: always giving the most frequent gold answer (that answer beside it). Per system: ${what}.</p>
<table id="task-table"><tr><th rowspan="2">task</th><th rowspan="2">chance</th><th rowspan="2">majority</th>${head}</tr><tr>${sub}</tr>${rows}</table>`;
}

/** Each system's figures per wording origin, and the later origin minus the earlier when there are two. */
function viewsTable(d: ReportData): string {
  const views = viewNames(d);
  if (views.length === 0) return "";
  const gap = views.length === 2 ? { later: views[1]!, earlier: views[0]! } : null;
  const figs = [
    ["accuracy", (v: ViewRow) => v.accuracy],
    ["CR", (v: ViewRow) => v.cr],
    ["CR on correct answers", (v: ViewRow) => v.crCorrect],
  ] as const;
  const head = views
    .map((o) => `<th colspan="4">${esc(originTitle(o))}</th>`)
    .concat(gap ? [`<th colspan="3">${esc(gap.later)} − ${esc(gap.earlier)}</th>`] : [])
    .join("");
  const sub = views
    .map(() => `${figs.map(([t]) => `<th>${t}</th>`).join("")}<th>input sensitivity</th>`)
    .concat(gap ? ["<th>accuracy</th><th>CR</th><th>input sensitivity</th>"] : [])
    .join("");
  const diff = (a: number | null, b: number | null) =>
    `<td class="num">${a === null || b === null ? "n/a" : `${a - b >= 0 ? "+" : ""}${percent(a - b)}`}</td>`;
  const rows = d.systems
    .map((s) => {
      const cells = views.map((o) => {
        const v = s.views[o];
        if (v === undefined) return '<td colspan="4">n/a</td>';
        return `${figs.map(([, get]) => `<td class="num">${percent(get(v).value)}${interval(get(v).ci)}</td>`).join("")}<td class="num">${percent(v.collapse.inputSensitivity)}</td>`;
      });
      if (gap) {
        const [l, e] = [s.views[gap.later], s.views[gap.earlier]];
        cells.push(
          diff(l?.accuracy.value ?? null, e?.accuracy.value ?? null) +
            diff(l?.cr.value ?? null, e?.cr.value ?? null) +
            diff(l?.collapse.inputSensitivity ?? null, e?.collapse.inputSensitivity ?? null),
        );
      }
      return `<tr><td>${esc(systemTitle(s.name))}</td>${cells.join("")}</tr>`;
    })
    .join("");
  return `<h2>By wording origin (percent, 95% intervals)</h2><p class="variant">The same items under each origin's wordings only; CR and input sensitivity within each origin's variants.</p>
<table id="views-table"><tr><th rowspan="2">system</th>${head}</tr><tr>${sub}</tr>${rows}</table>`;
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
${targets(d)}${flags(d)}${seedTables(d)}${seedViewTable(d)}<h2>${viewNames(d).length === 0 ? "Held-out wordings" : "Every wording of the evaluation set"} (percent, 95% intervals)</h2>${table(d)}${viewsTable(d)}${collapseTable(d)}${judgeHealth(d)}${pairTable(d)}${comparisons(d)}${charts(d)}${sideBySide(d)}${curves(d)}
<h2>Choices this run made</h2><table id="choices">${choices}</table>${stages}
</body></html>
`;
}
