// The report of a sweep (`calign run --sweep KEY=V1,V2,...`), written at its root: one row per value and
// system with accuracy, CR and input sensitivity, over every wording and per wording origin when the
// evaluation set mixes several (held-out wordings among them), read from each value's evaluate stage.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SystemMetricsFile, ViewMetrics } from "../align/evaluate.js";
import type { Estimate } from "../metrics/index.js";
import { writeAll, writeFileAtomicSync, writeJsonAtomicSync } from "../util/atomic-write.js";
import { VERSION } from "../util/version.js";
import { CSS, interval, percent } from "./render-html.js";
import { systemTitle } from "./report-data.js";
import { esc } from "./svg-charts.js";

/** The view over every variant of the evaluation set. */
export const EVERY_WORDING = "every wording";

export interface SweepFigures {
  accuracy: Estimate;
  cr: Estimate;
  /** Macro over tasks; null where no pair of instances shares a wording. */
  inputSensitivity: number | null;
}

export interface SweepRow {
  value: string;
  system: string;
  /** EVERY_WORDING, then each wording origin when the set mixes several. */
  views: Record<string, SweepFigures>;
}

export interface SweepReport {
  calign: string;
  key: string;
  rows: SweepRow[];
}

const figuresOf = (m: ViewMetrics): SweepFigures => ({
  accuracy: m.accuracy.figures.quality_mean as Estimate,
  cr: m.rougeL.figures.cr_macro as Estimate,
  inputSensitivity: m.collapse.macro.inputSensitivity,
});

/** The rows of every value whose run has been evaluated, systems in the run's order. */
export function buildSweepReport(key: string, runs: readonly { value: string; dir: string }[]): SweepReport {
  const rows: SweepRow[] = [];
  for (const { value, dir } of runs) {
    const manifest = join(dir, "manifest.json");
    if (!existsSync(manifest)) continue;
    const systems =
      (JSON.parse(readFileSync(manifest, "utf8")).config?.systems as string[] | undefined) ?? [];
    for (const system of systems) {
      const file = join(dir, "eval", `${system}.metrics.json`);
      if (!existsSync(file)) continue;
      const m = JSON.parse(readFileSync(file, "utf8")) as SystemMetricsFile;
      const views = Object.entries(m.views).map(([o, v]) => [o, figuresOf(v)]);
      rows.push({ value, system, views: { [EVERY_WORDING]: figuresOf(m), ...Object.fromEntries(views) } });
    }
  }
  return { calign: VERSION, key, rows };
}

export function renderSweepHtml(r: SweepReport): string {
  const views = [...new Set(r.rows.flatMap((row) => Object.keys(row.views)))];
  const head = views.map((v) => `<th colspan="3">${esc(v)}</th>`).join("");
  const sub = "<th>accuracy</th><th>CR</th><th>input sensitivity</th>".repeat(views.length);
  const rows = r.rows
    .map((row) => {
      const cells = views
        .map((v) => {
          const x = row.views[v];
          if (x === undefined) return '<td colspan="3">n/a</td>';
          return `<td class="num">${percent(x.accuracy.value)}${interval(x.accuracy.ci)}</td><td class="num">${percent(x.cr.value)}${interval(x.cr.ci)}</td><td class="num">${percent(x.inputSensitivity)}</td>`;
        })
        .join("");
      return `<tr><td>${esc(row.value)}</td><td>${esc(systemTitle(row.system))}</td>${cells}</tr>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>calign sweep report</title><style>${CSS}</style></head><body>
<h1>calign: sweep of ${esc(r.key)}</h1>
<p class="variant">calign ${esc(r.calign)} · one run per value, each evaluated on the same set; percent, 95% bootstrap intervals over items; each value's own report.html has the rest.</p>
<table id="sweep-table"><tr><th rowspan="2">${esc(r.key)}</th><th rowspan="2">system</th>${head}</tr><tr>${sub}</tr>${rows}</table>
</body></html>
`;
}

/** Writes report.json and report.html at the sweep's root; nothing when no value has been evaluated. */
export function writeSweepReport(
  root: string,
  key: string,
  runs: readonly { value: string; dir: string }[],
): SweepReport | null {
  const report = buildSweepReport(key, runs);
  if (report.rows.length === 0) return null;
  writeJsonAtomicSync(join(root, "report.json"), report);
  const html = Buffer.from(renderSweepHtml(report), "utf8");
  writeFileAtomicSync(join(root, "report.html"), (fd) => writeAll(fd, html));
  return report;
}
