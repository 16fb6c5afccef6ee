// GitHub Actions workflow commands for a check: an ::error annotation on the line of every failing case
// (and on the config for the overall thresholds), so the failures show on the pull request's files.
// Values are escaped as the runner's toolkit does: % \r \n in messages, and also : , in properties.
import { type CheckResult, comparedText } from "./run-check.js";

const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const property = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function errorAnnotation(file: string, line: number, title: string, message: string): string {
  return `::error file=${property(file)},line=${line},title=${property(title)}::${data(message)}\n`;
}

export function githubAnnotations(r: CheckResult): string {
  const out = r.cases
    .filter((c) => !c.passed)
    .map((c) => {
      const d = c.divergent;
      const pair =
        d === null
          ? ""
          : `\nmost divergent: "${comparedText(c.variants[d.a]!)}" vs "${comparedText(c.variants[d.b]!)}" (similarity ${d.similarity.toFixed(3)})`;
      return errorAnnotation(c.file, c.line, `calign check: ${c.id}`, `${c.failures.join("; ")}${pair}`);
    });
  if (r.overall.failures.length > 0)
    out.push(errorAnnotation(r.config, 1, "calign check: overall", r.overall.failures.join("; ")));
  return out.join("");
}
