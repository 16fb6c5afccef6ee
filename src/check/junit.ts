// JUnit XML of a check, as CI systems read test reports: one <testcase> per case (a <failure> with the
// thresholds missed and the most divergent pair), and one "overall" testcase when overall thresholds
// are set. Attributes follow the common Ant/Jenkins JUnit schema (file and line as GitLab and
// GitHub reporters read them).
import type { CaseResult, CheckResult, VariantResponse } from "./run-check.js";

const xml = (s: string) =>
  s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

/** A variant's response (its lines indented under the arrow), and the answer found in it when the check compares answers. */
function responded(v: VariantResponse): string {
  const response = `  -> ${v.response.replace(/\n/g, "\n     ")}`;
  return v.answer === undefined ? response : `${response}\n  answer: ${v.answer}`;
}

function details(c: CaseResult): string {
  const d = c.divergent;
  const lines = [`CR ${c.item.consistency ?? "undefined"} over ${c.item.variants} variants`];
  if (d !== null) {
    const [a, b] = [c.variants[d.a]!, c.variants[d.b]!];
    lines.push(
      `most divergent pair (similarity ${d.similarity.toFixed(3)}):`,
      `A [${a.origin}] ${a.text}\n${responded(a)}`,
      `B [${b.origin}] ${b.text}\n${responded(b)}`,
    );
  }
  return lines.join("\n");
}

function testcase(name: string, file: string, line: number, failures: string[], body: string): string {
  const head = `    <testcase classname="calign.check" name="${xml(name)}" file="${xml(file)}" line="${line}"`;
  if (failures.length === 0) return `${head}/>`;
  return `${head}>\n      <failure message="${xml(failures.join("; "))}" type="threshold">${xml(body)}</failure>\n    </testcase>`;
}

export function junitXml(r: CheckResult): string {
  const cases = r.cases.map((c) => testcase(c.id, c.file, c.line, c.failures, details(c)));
  const t = r.overall.thresholds;
  if (t.minCr !== null || t.minWorstQuality !== null || t.maxGap !== null)
    cases.push(testcase("overall", r.config, 1, r.overall.failures, r.overall.failures.join("\n")));
  const failures = r.cases.filter((c) => !c.passed).length + (r.overall.failures.length > 0 ? 1 : 0);
  const attrs = `name="calign check" tests="${cases.length}" failures="${failures}" errors="0"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs}>\n  <testsuite ${attrs}>\n${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`;
}
