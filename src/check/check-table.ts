// The terminal view of a check: one row per case, then every failing case with its most divergent
// pair of variants and their responses side by side, then the overall figures.
import type { CaseResult, CheckResult } from "./run-check.js";

const num = (v: number | null | undefined) => (v === null || v === undefined ? "-" : v.toFixed(3));
const COLUMN = 48;

/** Text cut into lines of at most `width` characters (words kept whole where they fit). */
function lines(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/).filter((w) => w !== "")) {
      for (let w = word; w.length > 0; ) {
        const room = line === "" ? width : width - line.length - 1;
        if (w.length <= room) {
          line = line === "" ? w : `${line} ${w}`;
          w = "";
        } else if (line !== "") {
          out.push(line);
          line = "";
        } else {
          out.push(w.slice(0, width));
          w = w.slice(width);
        }
      }
    }
    out.push(line);
  }
  return out;
}

function sideBySide(left: string, right: string): string {
  const a = lines(left, COLUMN);
  const b = lines(right, COLUMN);
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) =>
    `    ${(a[i] ?? "").padEnd(COLUMN)} | ${b[i] ?? ""}`.trimEnd(),
  ).join("\n");
}

const shown = (text: string) => (text === "" ? "(empty)" : text);

function divergence(c: CaseResult): string {
  const d = c.divergent;
  if (d === null) return "";
  const va = c.variants[d.a]!;
  const vb = c.variants[d.b]!;
  return [
    `  most divergent pair (similarity ${num(d.similarity)}):`,
    sideBySide(`[${va.origin}] ${va.text}`, `[${vb.origin}] ${vb.text}`),
    `    ${"-".repeat(COLUMN)}-+-${"-".repeat(COLUMN)}`,
    sideBySide(shown(va.response), shown(vb.response)),
    ...(va.answer === undefined || vb.answer === undefined
      ? []
      : [sideBySide(`answer: ${shown(va.answer)}`, `answer: ${shown(vb.answer)}`)]),
  ].join("\n");
}

export function checkTable(r: CheckResult): string {
  const width = Math.max(4, ...r.cases.map((c) => c.id.length));
  const out = [
    `calign check: ${r.config} · ${r.system} · similarity ${String(r.settings.similarity)} · quality ${String(r.settings.quality)}`,
    `${"case".padEnd(width)}  variants     CR  worst q    gap  result`,
  ];
  for (const c of r.cases) {
    const q = c.item.quality;
    out.push(
      `${c.id.padEnd(width)}  ${String(c.item.variants).padStart(8)}  ${num(c.item.consistency).padStart(5)}  ${num(q?.worst).padStart(7)}  ${num(q?.gap).padStart(5)}  ${c.passed ? "pass" : "FAIL"}`,
    );
  }
  const failing = r.cases.filter((c) => !c.passed);
  for (const c of failing)
    out.push("", `FAIL ${c.id} (${c.file}:${c.line}): ${c.failures.join("; ")}`, divergence(c));
  const f = r.overall.report.figures;
  out.push(
    "",
    `overall: CR ${num(f.cr_macro?.value)} · worst-variant quality ${num(f.quality_worst?.value)} · worst-best gap ${num(f.quality_gap?.value)}`,
  );
  for (const m of r.overall.failures) out.push(`FAIL overall: ${m}`);
  out.push(
    r.passed
      ? `passed: ${r.cases.length} cases`
      : `failed: ${failing.length} of ${r.cases.length} cases${r.overall.failures.length > 0 ? ", and the overall thresholds" : ""}`,
  );
  return `${out.join("\n")}\n`;
}
