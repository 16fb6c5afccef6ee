// promptfoo's results file (`promptfoo eval -o results.json`) as paraphrase groups: promptfoo runs
// several prompts over the same tests, so the outputs for one test (and provider) across the prompts
// are one item's responses to different wordings. The first prompt (lowest promptIdx) is the
// original; each variant's text is the rendered prompt (prompt.raw) and its origin the prompt's label.
// promptfoo's own score of each output (its assertions) is kept as that variant's quality.
//
// The shape is promptfoo's `OutputFile` ("File exported as --output option") in src/types/index.ts:
// { evalId, results: EvaluateSummaryV3 | EvaluateSummaryV2, config, shareableUrl, metadata? }, where both
// summaries have results: EvaluateResult[] with promptIdx, testIdx, prompt {raw, label}, vars,
// provider {id, label?}, response? {output}, error?, success, score, gradingResult?, testCase.
import { readFile } from "node:fs/promises";
import { DataError, type Location } from "./errors.js";
import { Fields } from "./fields.js";
import { ORIGINAL, type ParaphraseGroup } from "./group.js";

export interface PromptfooItems {
  groups: ParaphraseGroup[];
  /** promptfoo's score of each variant's output, by group id; absent where a test has no assertions. */
  scores: Map<string, number[]>;
  /** Outputs left out: the provider returned an error or no output. */
  errors: number;
}

interface Cell {
  key: string;
  id: string;
  promptIdx: number;
  text: string;
  label: string;
  output: string;
  score: number | null;
  description?: string;
}

function cell(value: unknown, at: Location, i: number, providers: number): Cell | null {
  const f = Fields.of(value, at, `results.results[${i}]`);
  const promptIdx = f.number("promptIdx", { integer: true, min: 0 });
  const testIdx = f.number("testIdx", { integer: true, min: 0 });
  const prompt = Fields.of(f.raw("prompt"), at, f.name("prompt"));
  const provider = Fields.of(f.raw("provider"), at, f.name("provider"));
  const providerName = provider.optionalString("label") ?? provider.string("id");
  const output = f.has("response")
    ? Fields.of(f.raw("response"), at, f.name("response")).raw("output")
    : undefined;
  if ((f.has("error") && f.raw("error") !== null) || output === undefined || output === null) return null;
  const testCase = f.has("testCase") ? Fields.of(f.raw("testCase"), at, f.name("testCase")) : null;
  const id = `${providers > 1 ? `${providerName}/` : ""}test-${testIdx}`;
  const out: Cell = {
    key: id,
    id,
    promptIdx,
    text: prompt.string("raw"),
    label: prompt.optionalString("label") ?? `prompt ${promptIdx + 1}`,
    output: typeof output === "string" ? output : JSON.stringify(output),
    score: f.has("gradingResult") && f.raw("gradingResult") !== null ? f.number("score") : null,
  };
  const description = testCase?.optionalString("description");
  if (description !== undefined) out.description = description;
  return out;
}

export async function readPromptfooResults(path: string): Promise<PromptfooItems> {
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
  const summary = Fields.of(Fields.of(root, at).raw("results"), at, "results");
  const raw = summary.array("results");
  const providers = new Set(
    raw.map((r) => JSON.stringify((r as { provider?: { label?: unknown; id?: unknown } })?.provider ?? null)),
  ).size;
  const byTest = new Map<string, Cell[]>();
  let errors = 0;
  raw.forEach((r, i) => {
    const c = cell(r, at, i, providers);
    if (c === null) errors++;
    else byTest.set(c.key, [...(byTest.get(c.key) ?? []), c]);
  });
  if (byTest.size === 0) throw new DataError(at, "results.results", "no output to measure");
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
        origin: c.promptIdx === 0 ? ORIGINAL : c.label,
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
