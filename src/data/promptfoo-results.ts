// promptfoo's results as paraphrase groups: promptfoo runs several prompts over the same tests, so the
// outputs for one test (and provider) across the prompts are one item's responses to different
// wordings. The first prompt (lowest promptIdx) is the original; each variant's text is the rendered
// prompt (prompt.raw) and its origin the prompt's label. promptfoo's own score of each output (its
// assertions) is kept as that variant's quality, where the test has assertions.
//
// Each result is promptfoo's EvaluateResult: { promptIdx, testIdx, prompt: { raw, label }, provider:
// { id, label? }, response?: { output }, error?, score, gradingResult?, testCase?: { description? } },
// as the afterAll extension hook receives them (src/promptfoo/hook.ts) and as `promptfoo eval -o`
// writes them: promptfoo's `OutputFile` { evalId, results: EvaluateSummaryV3 | V2, config, ... }, both
// summaries holding results: EvaluateResult[] (src/types/index.ts).
import { readFile } from "node:fs/promises";
import { DataError, type Location } from "./errors.js";
import { Fields } from "./fields.js";
import { ORIGINAL, type ParaphraseGroup } from "./group.js";

export interface PromptfooGroups {
  groups: ParaphraseGroup[];
  /** promptfoo's score of each variant's output, by group id; absent where a test has no assertions. */
  scores: Map<string, number[]>;
  /** Results left out: the provider returned an error or no output. */
  errors: number;
}

interface Cell {
  id: string;
  promptIdx: number;
  text: string;
  label: string;
  output: string;
  score: number | null;
  description?: string;
}

// promptfoo grades a test without assertions as passed with score 1 and this reason
// (AssertionsResult.noAssertsResult in its evaluator): that is no quality measurement, so no score.
const NO_ASSERTIONS = "No assertions";

/** promptfoo's score of a result, or null where nothing graded it. */
function gradedScore(f: Fields): number | null {
  if (!f.has("gradingResult") || f.raw("gradingResult") === null) return null;
  if (f.object("gradingResult").optionalString("reason") === NO_ASSERTIONS) return null;
  return f.number("score");
}

function cell(value: unknown, at: Location, path: string, providers: number): Cell | null {
  const f = Fields.of(value, at, path);
  const promptIdx = f.number("promptIdx", { integer: true, min: 0 });
  const testIdx = f.number("testIdx", { integer: true, min: 0 });
  const prompt = f.object("prompt");
  const provider = f.object("provider");
  const output =
    f.has("response") && f.raw("response") !== null ? f.object("response").raw("output") : undefined;
  if ((f.has("error") && f.raw("error") !== null) || output === undefined || output === null) return null;
  const providerName = provider.optionalString("label") || provider.string("id");
  const testCase = f.has("testCase") ? f.object("testCase") : null;
  const description = testCase?.optionalString("description");
  return {
    id: `${providers > 1 ? `${providerName}/` : ""}test-${testIdx}`,
    promptIdx,
    text: prompt.string("raw"),
    label: prompt.optionalString("label") ?? `prompt ${promptIdx + 1}`,
    output: typeof output === "string" ? output : JSON.stringify(output),
    score: gradedScore(f),
    ...(description === undefined ? {} : { description }),
  };
}

/** Groups promptfoo's results by test (and provider) across prompts; `path` names them in errors. */
export function promptfooGroups(
  results: readonly unknown[],
  at: Location,
  path = "results",
): PromptfooGroups {
  const providers = new Set(
    results.map((r) => {
      const p = (r as { provider?: { label?: unknown; id?: unknown } } | null)?.provider;
      return p?.label || p?.id;
    }),
  ).size;
  const byTest = new Map<string, Cell[]>();
  let errors = 0;
  results.forEach((r, i) => {
    const c = cell(r, at, `${path}[${i}]`, providers);
    if (c === null) errors++;
    else byTest.set(c.id, [...(byTest.get(c.id) ?? []), c]);
  });
  const groups: ParaphraseGroup[] = [];
  const scores = new Map<string, number[]>();
  for (const cells of byTest.values()) {
    cells.sort((a, b) => a.promptIdx - b.promptIdx);
    const first = cells[0]!;
    groups.push({
      id: first.id,
      instruction: first.text,
      input: "",
      variants: cells.map((c) => ({
        text: c.text,
        origin: c === first ? ORIGINAL : c.label,
        response: c.output,
      })),
      references: [],
      ...(first.description === undefined ? {} : { meta: { description: first.description } }),
    });
    if (cells.every((c) => c.score !== null))
      scores.set(
        first.id,
        cells.map((c) => c.score!),
      );
  }
  return { groups, scores, errors };
}

/** A results file (`promptfoo eval -o results.json`) grouped; a file with no output is an error. */
export async function readPromptfooResults(path: string): Promise<PromptfooGroups> {
  const at: Location = { file: path, line: null };
  let root: unknown;
  try {
    root = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(
      at,
      "(file)",
      code === "ENOENT" ? "no such file" : `not JSON: ${(err as Error).message}`,
    );
  }
  const summary = Fields.of(root, at).object("results");
  const grouped = promptfooGroups(summary.array("results"), at, "results.results");
  if (grouped.groups.length === 0) throw new DataError(at, "results.results", "no output to measure");
  return grouped;
}
