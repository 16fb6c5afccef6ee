// check.html: one self-contained page (inline CSS and SVG, no script) in the report's style: the verdict,
// CR per case as bars, a table of every case against its thresholds, and each case's variants and
// responses side by side with the most divergent pair highlighted (failing cases open).
import { CSS } from "../report/render-html.js";
import { barChart, esc } from "../report/svg-charts.js";
import { VERSION } from "../util/version.js";
import type { CaseResult, CheckResult } from "./run-check.js";

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : (100 * v).toFixed(1));

function row(c: CaseResult): string {
  const q = c.item.quality;
  return `<tr><td>${esc(c.id)}</td><td class="num">${c.item.variants}</td><td class="num">${pct(c.item.consistency)}</td><td class="num">${pct(q?.worst)}</td><td class="num">${pct(q?.gap)}</td><td class="${c.passed ? "ok" : "wrong"}">${c.passed ? "pass" : esc(c.failures.join("; "))}</td></tr>`;
}

function variants(c: CaseResult): string {
  const pair = new Set(c.divergent === null ? [] : [c.divergent.a, c.divergent.b]);
  // With answer_pattern the answers compared get their own column beside the whole responses.
  const answers = c.variants.some((v) => v.answer !== undefined);
  const rows = c.variants
    .map(
      (v, i) =>
        `<tr${pair.has(i) ? ' class="disagree"' : ""}><td><pre>${esc(v.text)}</pre><span class="variant">${esc(v.origin)}</span></td><td><pre>${esc(v.response)}</pre></td>${answers ? `<td><pre>${esc(v.answer ?? "")}</pre></td>` : ""}</tr>`,
    )
    .join("");
  const refs = c.references.length === 0 ? "" : ` · references <code>${esc(c.references.join(" | "))}</code>`;
  return `<details${c.passed ? "" : " open"} class="case"><summary><b>${esc(c.id)}</b> · ${esc(c.file)}:${c.line} · CR ${pct(c.item.consistency)}${c.divergent ? ` · most divergent pair: similarity ${pct(c.divergent.similarity)} (highlighted)` : ""}${refs}</summary>
<table class="side-by-side"><tr><th>variant</th><th>response</th>${answers ? "<th>answer</th>" : ""}</tr>${rows}</table></details>`;
}

export function checkHtml(r: CheckResult): string {
  const f = r.overall.report.figures;
  const verdict = r.passed
    ? `passed: ${r.cases.length} cases`
    : `failed: ${r.cases.filter((c) => !c.passed).length} of ${r.cases.length} cases${r.overall.failures.length > 0 ? `; overall: ${r.overall.failures.join("; ")}` : ""}`;
  const bars = r.cases.map((c) => ({ label: c.id, value: c.item.consistency }));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>calign check</title><style>${CSS}</style></head><body>
<h1>calign check: ${esc(r.system)}</h1>
<p class="variant">calign ${esc(VERSION)} · ${esc(r.config)} · similarity ${esc(String(r.settings.similarity))} · quality ${esc(String(r.settings.quality))} · variants ${esc(String(r.settings.variants))}</p>
<p class="headline ${r.passed ? "ok" : "wrong"}" id="verdict">${esc(verdict)}</p>
<p>Overall (percent, 95% bootstrap intervals over cases): CR ${pct(f.cr_macro?.value)} · worst-variant quality ${pct(f.quality_worst?.value)} · worst-best gap ${pct(f.quality_gap?.value)}</p>
<div id="charts">${barChart("Consistency rate (%) per case", bars, Math.max(360, 40 * bars.length + 60))}</div>
<h2>Cases</h2><table id="cases"><tr><th>case</th><th>variants</th><th>CR</th><th>worst quality</th><th>gap</th><th>result</th></tr>${r.cases.map(row).join("")}</table>
<h2>Variants and responses</h2><div id="responses">${r.cases.map(variants).join("")}</div>
</body></html>
`;
}
