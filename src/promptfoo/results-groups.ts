// promptfoo's results as paraphrase groups: promptfoo runs several prompts over the same tests, so the
// outputs for one test (and provider) across the prompts are one item's responses to different
// wordings. The first prompt (lowest promptIdx) is the original; each variant's text is the rendered
// prompt (prompt.raw). Each result is promptfoo's EvaluateResult: { promptIdx, testIdx, prompt: { raw,
// label }, provider: { id, label? }, response?: { output }, error?, testCase?: { description? } }, as
// the afterAll extension hook receives them and as `promptfoo eval -o` writes them (results.results).
import { Fields, type Location, ORIGINAL, type ParaphraseGroup } from "../data/index.js";

export interface PromptfooGroups {
  groups: ParaphraseGroup[];
  /** Results left out: the provider returned an error or no output. */
  errors: number;
}

interface Cell {
  id: string;
  promptIdx: number;
  text: string;
  label: string;
  output: string;
  description?: string;
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
  const groups = [...byTest.values()].map((cells): ParaphraseGroup => {
    cells.sort((a, b) => a.promptIdx - b.promptIdx);
    const first = cells[0]!;
    return {
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
    };
  });
  return { groups, errors };
}
