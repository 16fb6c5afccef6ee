// promptfoo extension hook: calign's cross-prompt consistency at the end of `promptfoo eval`. In the
// promptfoo config:
//   extensions: ["file://node_modules/calign/dist/src/promptfoo/hook.js:afterAll"]
//   env: { CALIGN_MIN_CR: 0.8, CALIGN_SIMILARITY: rougeL }
// Settings come from the config's `env` block, else the process environment. The hook prints the
// figures; under CALIGN_MIN_CR it prints why and sets the exit status to 1, so promptfoo still writes
// its results and then fails the run (a thrown error would abort promptfoo before its output).

import { promptfooGroups } from "../data/index.js";
import {
  buildReport,
  DEFAULT_BOOTSTRAP,
  evaluateItems,
  exactMatchQuality,
  exactMatchSimilarity,
  rougeLSimilarity,
  type Similarity,
} from "../metrics/index.js";

/** The part of promptfoo's afterAll context the hook reads. */
export interface AfterAllContext {
  results: readonly unknown[];
  config?: { env?: Record<string, unknown> };
}

const SIMILARITIES: Record<string, () => Similarity> = {
  rougeL: () => rougeLSimilarity(),
  exact: () => exactMatchSimilarity,
};

function setting(context: AfterAllContext, name: string): string | undefined {
  const value = context.config?.env?.[name] ?? process.env[name];
  return value === undefined || value === "" ? undefined : String(value);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? "-" : x.toFixed(3));

/** Groups the outputs by test across prompts, prints the consistency rate, fails under CALIGN_MIN_CR. */
export async function afterAll(context: AfterAllContext): Promise<void> {
  const simName = setting(context, "CALIGN_SIMILARITY") ?? "rougeL";
  const similarity = SIMILARITIES[simName];
  if (similarity === undefined)
    throw new Error(
      `calign: CALIGN_SIMILARITY must be one of ${Object.keys(SIMILARITIES).join(", ")}, got ${simName}`,
    );
  const minText = setting(context, "CALIGN_MIN_CR");
  const min = minText === undefined ? null : Number(minText);
  if (min !== null && !(min >= 0 && min <= 1))
    throw new Error(`calign: CALIGN_MIN_CR must be a number in [0, 1], got ${minText}`);

  const { groups, errors } = promptfooGroups(context.results, { file: "promptfoo results", line: null });
  const items = await evaluateItems(groups, { similarity: similarity(), quality: exactMatchQuality });
  const { figures } = buildReport("promptfoo", items, { sim: simName }, DEFAULT_BOOTSTRAP);
  const macro = figures.cr_macro!;
  const prompts = Math.max(0, ...groups.map((g) => g.variants.length));
  console.log(
    `calign: ${groups.length} tests across ${prompts} prompts (similarity ${simName}` +
      `${errors > 0 ? `; ${errors} results without output left out` : ""})`,
  );
  console.log(
    `calign: CR (macro) ${fmt(macro.value)} [${fmt(macro.ci?.[0])}, ${fmt(macro.ci?.[1])}], ` +
      `CR (micro) ${fmt(figures.cr_micro!.value)}, over ${macro.items} tests with two or more prompts`,
  );
  const ranked = items.filter((i) => i.consistency !== null).sort((a, b) => a.consistency! - b.consistency!);
  for (const item of ranked.slice(0, 5)) {
    const description = groups.find((g) => g.id === item.id)?.meta?.description;
    console.log(
      `calign:   ${item.id}${description ? ` (${String(description)})` : ""}: CR ${fmt(item.consistency)}`,
    );
  }
  if (min === null) return;
  if (macro.value === null || macro.value < min) {
    console.log(`calign: FAIL: CR (macro) ${fmt(macro.value)} is below CALIGN_MIN_CR ${min}`);
    process.exitCode = 1;
  } else console.log(`calign: PASS: CR (macro) ${fmt(macro.value)} >= CALIGN_MIN_CR ${min}`);
}
