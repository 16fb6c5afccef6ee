// `calign metrics`: every consistency and robustness figure of a responses file, with bootstrap
// intervals, printed and written as JSON, next to the collapse diagnostics that tell consistency from
// an answer that ignores the input, over every variant and per wording origin; optionally a paired
// comparison with a second system.

import { answerOfSetting } from "../../align/stage-files.js";
import { parseTarget } from "../../backends/backend-target.js";
import { flagOf, type OptionSchema, schemaHelp } from "../../config/index.js";
import {
  ANSWER_PATTERN,
  BOOTSTRAP_RESAMPLES,
  DEVICE,
  DTYPE,
  ROUGE_OPTIONS,
} from "../../config/shared-options.js";
import { readResponseGroups } from "../../data/calign-jsonl.js";
import { writeCsv } from "../../data/csv.js";
import type { ParaphraseGroup } from "../../data/group.js";
import { originViews } from "../../data/origin-views.js";
import { readPromptfooResults } from "../../data/promptfoo-results.js";
import { readReferences } from "../../data/references.js";
import { type AnswerOf, withAnswers } from "../../metrics/answer-pattern.js";
import { type BootstrapOptions, DEFAULT_BOOTSTRAP } from "../../metrics/bootstrap.js";
import { type CollapseFigures, collapseFigures } from "../../metrics/collapse.js";
import { FIGURES } from "../../metrics/figures.js";
import { evaluateItems, type ItemOptions, type ItemResult, recordedScorer } from "../../metrics/item.js";
import { exactMatchQuality, type Quality, rougeLQuality } from "../../metrics/quality.js";
import { buildReport, type MetricsReport } from "../../metrics/report.js";
import { summarizeQuality } from "../../metrics/robustness.js";
import {
  exactMatchSimilarity,
  judgeSimilarity,
  memoSimilarity,
  rougeLSimilarity,
  rougeLThresholdSimilarity,
  type Similarity,
} from "../../metrics/similarity.js";
import { suiteChance } from "../../tasks/suite-chance.js";
import { writeTextAtomic } from "../../util/atomic-write.js";
import { collect } from "../../util/collect.js";
import { type Command, UsageError } from "../command.js";
import { type CommandOutput, processOutput } from "../command-output.js";
import { exitOnDataError } from "../data-error-exit.js";
import { type ParsedOptions, parseOptions } from "../parse-options.js";

function wrap(text: string, indent: number, width = 104): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line.length > 0 && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length === 0 ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

const FIGURE_HELP = FIGURES.map(
  (f) => `  ${f.key.padEnd(14)}${wrap(`${f.title}: ${f.definition}. Source: ${f.source}.`, 16)}`,
).join("\n");

export const METRICS_OPTIONS = {
  sim: {
    type: "string",
    default: "rougeL",
    choices: ["rougeL", "exact", "threshold", "judge"],
    help: "sim() inside CR (see Similarities above)",
  },
  judge: {
    type: "string",
    default: null,
    help: "the judge of --sim judge: a model path (HF folder or .gguf, run by calign) or an OpenAI-compatible base URL (http://host:port/v1) whose server can score; a server serving several models takes URL#MODEL (one model: its name is asked for)",
  },
  judge_chat: {
    type: "boolean",
    default: false,
    help: "ask through the judge's chat template as a user message (off: plain text)",
  },
  // Where and in what calign's engine runs a --judge model path.
  device: DEVICE,
  dtype: DTYPE,
  threshold: { type: "number", default: 0.5, min: 0, max: 1, help: "the threshold of --sim threshold" },
  quality: {
    type: "string",
    default: "rougeL",
    choices: ["rougeL", "exact"],
    help: "quality of a response against the references, max over references as the SuperNI scorer: ROUGE-L F1 or normalised exact match",
  },
  answer_pattern: ANSWER_PATTERN,
  references: {
    type: "string",
    default: null,
    help: 'JSONL of {"id", "references": [...]} (SuperNI\'s reference format; calign group files with references work too); replaces the references in the responses file',
  },
  promptfoo: {
    type: "string",
    default: null,
    help: "read promptfoo's results (promptfoo eval -o results.json) instead: the outputs of one test (and provider) across the prompts are one item's responses, the first prompt is the original, and promptfoo's score of each output (where the test has assertions) is its quality; --quality and --references do not apply",
  },
  compare: {
    type: "string",
    default: null,
    help: "a second responses file for the same items: paired differences (<responses> - FILE) with paired bootstrap intervals, items matched by id",
  },
  ...ROUGE_OPTIONS,
  bootstrap: BOOTSTRAP_RESAMPLES,
  seed: { type: "integer", default: DEFAULT_BOOTSTRAP.seed, min: 0, help: "seed of the resampling" },
  confidence: {
    type: "number",
    default: DEFAULT_BOOTSTRAP.level,
    min: 0.000001,
    max: 0.999999,
    help: "interval level",
  },
  output: {
    type: "string",
    default: null,
    short: "o",
    help: "the JSON report (none: <responses without .jsonl>.metrics.json)",
  },
  csv: { type: "string", default: null, help: "also write the per-item figures as CSV" },
} as const satisfies OptionSchema;

type MetricsParsed = ParsedOptions<typeof METRICS_OPTIONS>;

const HELP = `Usage: calign metrics <responses.jsonl> [options]
       calign metrics --promptfoo results.json [options]

Reads paraphrase groups with a response for every variant (calign JSONL, one group a line:
{"id", "instruction", "input"?, "variants": [{"text", "origin", "response", "logprobs"?,
"response_tokens"?}], "references"?}) and prints every figure below with a percentile bootstrap
interval over items; writes them as JSON. Each variant's response is compared with the other variants'
responses (consistency) and, where there are references, with the references (quality). POSIX needs
log-probabilities from a model, recorded per variant i: logprobs[j] = log P(y_j | x_i) for every
variant j, and response_tokens = the token count of y_i.

Similarities (--sim):
  rougeL     ROUGE-L F1 between the two responses (equal token sequences count 1)
  exact      1 if equal after SuperNI normalisation (lowercase, no ASCII punctuation, whitespace
             collapsed), else 0
  threshold  1 if ROUGE-L F1 >= --threshold, else 0
  judge      a model judge: P("Yes") of the --judge model asked "Answer A: ... Answer B: ... Do answers
             A and B say the same thing? Answer Yes or No.", normalised against "No", asked in both
             orders and averaged

Options (also from a YAML/JSON file with --config FILE):
${schemaHelp(METRICS_OPTIONS)}

Figures (each item: one instruction, N variants, responses y_1..y_N, quality q_i of y_i):
${FIGURE_HELP}
  Items with one variant have no pairs and are left out of CR and PSS; figures that need references or
  recorded log-probs are reported as null with the reason when the data lacks them. The bootstrap
  resamples items with replacement (seeded) and recomputes each figure; intervals are the percentiles
  of the replicates (linear interpolation).

Collapse diagnostics (printed after the figures; "collapse" in the JSON), per task (the groups' "task";
groups without one form the task "(none)") and macro, the unweighted mean over tasks:
  accuracy      mean over items of the share of variants whose response equals a reference after
                SuperNI normalisation (exact match, whatever --quality)
  majority      the accuracy of always giving the task's most frequent reference
  chance        1 / the number of options, for tasks of calign's built-in suite with a fixed number
                (groups whose meta.family names the task); else -
  pairs         pairs of variants of two items of the task with the same instruction text and
                references that differ
  input_sens    the share of those pairs whose responses differ (normalised): 0 for a model that
                ignores its input, 1 for one always right
  cr, cr_correct  mean over items of CR (--sim) and of CR on correct answers (exact match)
  A model giving one answer to everything has CR 1 and input_sens 0; input_sens is printed beside CR.

Views by wording origin: when the variants' origins differ (seed and held-out wordings, say), every
figure and the collapse diagnostics again per origin, over the items that have variants of that origin
and those variants only ("views" in the JSON, keyed by origin, {} with one origin; --compare compares
the figures over every variant only). Printed: each view's items, cr_macro, quality_mean and macro
collapse row. --promptfoo results have neither (no references or tasks, and every prompt is its own
origin): "collapse" is null and "views" {}.

Exit status: 0 on success, 1 on bad arguments or bad data (reported as file:line: field: message).
`;

interface Settings {
  /** Null for --sim judge: the similarity needs a backend, opened when the command runs. */
  item: Omit<ItemOptions, "similarity"> & { similarity: Similarity | null };
  bootstrap: BootstrapOptions;
  /** --answer-pattern: every figure measures the responses' answers. */
  answerOf: AnswerOf;
  described: Record<string, unknown>;
}

function settings({ options: values, given }: MetricsParsed): Settings {
  const rouge = { stem: values.stem, tokenizer: values.tokenizer };
  const simName = values.sim;
  const threshold = values.threshold;
  if (given.has("threshold") && simName !== "threshold")
    throw new UsageError("--threshold goes with --sim threshold");
  checkJudgeFlags(simName, values, given);
  const sims: Record<string, () => Similarity | null> = {
    rougeL: () => rougeLSimilarity(rouge),
    exact: () => exactMatchSimilarity,
    threshold: () => rougeLThresholdSimilarity(threshold, rouge),
    judge: () => null,
  };
  const qualities: Record<string, () => Quality> = {
    rougeL: () => rougeLQuality(rouge),
    exact: () => exactMatchQuality,
  };
  const qualityName = values.quality;
  const bootstrap: BootstrapOptions = {
    resamples: values.bootstrap,
    seed: values.seed,
    level: values.confidence,
  };
  return {
    item: { similarity: sims[simName]!(), quality: qualities[qualityName]!(), scorer: recordedScorer },
    bootstrap,
    answerOf: answerOfSetting(values.answerPattern, "--answer-pattern"),
    described: {
      similarity:
        simName === "threshold"
          ? `rougeL>=${threshold}`
          : simName === "judge"
            ? `judge:${values.judge}${values.judgeChat ? " (chat)" : ""}`
            : simName,
      quality: qualityName,
      stem: rouge.stem,
      tokenizer: rouge.tokenizer,
      references: values.references ?? "from the responses file",
      ...(values.answerPattern === null ? {} : { answer_pattern: values.answerPattern }),
    },
  };
}

function checkJudgeFlags(simName: string, values: MetricsParsed["options"], given: Set<string>): void {
  const judgeFlags = ["judge", "judge_chat", "device", "dtype"] as const;
  if (simName !== "judge") {
    const stray = judgeFlags.find((f) => given.has(f));
    if (stray !== undefined) throw new UsageError(`--${flagOf(stray)} goes with --sim judge`);
    return;
  }
  if (values.judge === null) throw new UsageError("--sim judge needs --judge TARGET (a model path or URL)");
  parseTarget(values.judge);
}

/**
 * Runs fn with the settings' similarity: for --sim judge, a backend on the judge target is opened
 * (imported only then: the other similarities need no model) and closed afterwards.
 */
async function withSimilarity<R>(
  s: Settings,
  values: MetricsParsed["options"],
  fn: (item: ItemOptions) => Promise<R>,
): Promise<R> {
  if (s.item.similarity !== null) return fn({ ...s.item, similarity: s.item.similarity });
  const { openBackend } = await import("../../backends/open-backend.js");
  const { agreementJudge } = await import("../../align/agreement-judge.js");
  const { workerEngineOptions } = await import("../model-inputs.js");
  const backend = await openBackend(values.judge as string, workerEngineOptions(values.device, values.dtype));
  try {
    const judge = agreementJudge(backend, { chat: values.judgeChat });
    // The collapse diagnostics and the per-origin views measure the same pairs again: the judge
    // answers each once.
    return await fn({ ...s.item, similarity: memoSimilarity(judgeSimilarity(judge)) });
  } finally {
    await backend.close();
  }
}

/** The groups as measured: with --references' references, and each response's answer. */
async function* measuredGroups(
  groups: AsyncIterable<ParaphraseGroup>,
  references: Map<string, string[]> | null,
  answerOf: AnswerOf,
): AsyncGenerator<ParaphraseGroup> {
  for await (const g of groups) {
    const [answered] = withAnswers([g], answerOf);
    yield references === null ? answered! : { ...answered!, references: references.get(g.id) ?? [] };
  }
}

/** What one set of groups measures: the figures' items under --quality, and the collapse diagnostics. */
interface Measured {
  items: ItemResult[];
  collapse: CollapseFigures;
}

/** A responses file measured over every variant, and per wording origin when they differ. */
interface MeasuredFile extends Omit<Measured, "collapse"> {
  /** Null for --promptfoo: its results have no references, tasks or wordings shared across tests. */
  collapse: CollapseFigures | null;
  /** Empty for --promptfoo: each prompt is its own origin, so a view would have one variant an item. */
  views: Map<string, Measured>;
}

/**
 * The groups' items under the settings' quality, and their collapse diagnostics. Those read accuracy
 * as exact match whatever --quality is (collapse.ts), with CR under --sim, so the groups are measured
 * twice unless --quality is exact. Chance levels are the built-in suite's, for the groups it made
 * (suiteChance, as the evaluate stage does); other tasks have none.
 */
async function measure(groups: readonly ParaphraseGroup[], item: ItemOptions): Promise<Measured> {
  const items = await evaluateItems(groups, item);
  const exact =
    item.quality === exactMatchQuality
      ? items
      : await evaluateItems(groups, { similarity: item.similarity, quality: exactMatchQuality });
  return { items, collapse: collapseFigures(groups, exact, { chance: suiteChance(groups) }) };
}

/**
 * A calign responses file measured over every variant and, when its variants' origins differ, per
 * origin (originViews). Input sensitivity pairs different items, so the groups are held in memory.
 */
async function measureFile(
  path: string,
  item: ItemOptions,
  references: Map<string, string[]> | null,
  answerOf: AnswerOf,
): Promise<MeasuredFile> {
  const groups = await collect(measuredGroups(readResponseGroups(path), references, answerOf));
  const views = new Map<string, Measured>();
  for (const [origin, view] of originViews(groups)) views.set(origin, await measure(view, item));
  return { ...(await measure(groups, item)), views };
}

/** One wording origin's figures over its variants only, and its collapse diagnostics. */
export type OriginView = MetricsReport & { collapse: CollapseFigures };

/** The JSON report of `calign metrics`. */
export interface MetricsFileReport extends MetricsReport {
  /** Per task and macro; null for --promptfoo. */
  collapse: CollapseFigures | null;
  /** Per origin when the variants' origins differ, else {}; never compared with --compare's file. */
  views: Record<string, OriginView>;
}

/** The report of a measured file: with `other`, the paired comparison over every variant. */
function fileReport(
  file: string,
  m: MeasuredFile,
  s: Settings,
  other?: { file: string; items: readonly ItemResult[] },
): MetricsFileReport {
  const report = (items: readonly ItemResult[], o?: typeof other) =>
    buildReport(file, items, s.described, s.bootstrap, o);
  return {
    ...report(m.items, other),
    collapse: m.collapse,
    views: Object.fromEntries(
      [...m.views].map(([origin, v]) => [origin, { ...report(v.items), collapse: v.collapse }]),
    ),
  };
}

const fmt = (v: number | null) => (v === null ? "-" : v.toFixed(4));

function table(report: MetricsFileReport): string {
  const lines = [
    `${"figure".padEnd(14)}${"value".padStart(9)}  ${"95% interval".padEnd(19)}${"items".padStart(7)}`,
  ];
  lines[0] = lines[0]!.replace(
    "95%",
    `${Math.round((report.settings.bootstrap as BootstrapOptions).level * 100)}%`,
  );
  for (const [key, f] of Object.entries(report.figures)) {
    const ci = f.ci === null ? "" : `[${fmt(f.ci[0])}, ${fmt(f.ci[1])}]`;
    // CR is what a model that ignores its input maximises: input sensitivity stands beside it.
    const exposed =
      key === "cr_macro" && report.collapse !== null
        ? `; input_sens ${fmt(report.collapse.macro.inputSensitivity)}`
        : "";
    const extra =
      f.value === null
        ? `  (${f.missing})`
        : key.startsWith("cr_")
          ? `  (${(f.value * 100).toFixed(2)}%${exposed})`
          : "";
    lines.push(
      `${key.padEnd(14)}${fmt(f.value).padStart(9)}  ${ci.padEnd(19)}${String(f.items).padStart(7)}${extra}`,
    );
  }
  const c = report.comparison;
  if (c) {
    lines.push(
      "",
      `paired with ${c.other}: ${c.paired} items (${c.onlyInA.length} only here, ${c.onlyInB.length} only there)`,
    );
    lines.push(
      `${"figure".padEnd(14)}${"this".padStart(9)}${"other".padStart(9)}${"diff".padStart(9)}  interval`,
    );
    for (const [key, d] of Object.entries(c.figures)) {
      const ci = d.ci === null ? "" : `[${fmt(d.ci[0])}, ${fmt(d.ci[1])}]`;
      lines.push(
        `${key.padEnd(14)}${fmt(d.a).padStart(9)}${fmt(d.b).padStart(9)}${fmt(d.difference).padStart(9)}  ${ci}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

interface CollapseRow {
  label: string;
  items: number;
  accuracy: number | null;
  majority: number | null;
  chance: number | null;
  pairs: number;
  inputSensitivity: number | null;
  cr: number | null;
  crCorrect: number | null;
}

/** Input sensitivity sits beside CR: a CR won by ignoring the input shows as input_sens near 0. */
const COLLAPSE_COLUMNS = [
  ["items", 6],
  ["accuracy", 10],
  ["majority", 10],
  ["chance", 8],
  ["pairs", 7],
  ["input_sens", 12],
  ["cr", 8],
  ["cr_correct", 12],
] as const;

/**
 * The collapse diagnostics as a table: the macro over tasks, then, with `perTask`, each task when there
 * are several (with one, the macro is that task).
 */
function collapseTable(c: CollapseFigures, perTask: boolean): string[] {
  const rows: CollapseRow[] = [
    {
      ...c.macro,
      label: `macro (${c.macro.tasks} task${c.macro.tasks === 1 ? "" : "s"})`,
      items: c.tasks.reduce((n, t) => n + t.items, 0),
      pairs: c.macro.sensitivityPairs,
    },
  ];
  if (perTask && c.tasks.length > 1)
    for (const t of c.tasks)
      rows.push({
        ...t,
        label: t.task,
        pairs: t.inputSensitivity.pairs,
        inputSensitivity: t.inputSensitivity.value,
      });
  const width = Math.max(14, ...rows.map((r) => r.label.length + 2));
  const cells = (r: CollapseRow) =>
    [
      String(r.items),
      fmt(r.accuracy),
      fmt(r.majority),
      fmt(r.chance),
      String(r.pairs),
      fmt(r.inputSensitivity),
      fmt(r.cr),
      fmt(r.crCorrect),
    ].map((v, i) => v.padStart(COLLAPSE_COLUMNS[i]![1]));
  return [
    `${"task".padEnd(width)}${COLLAPSE_COLUMNS.map(([name, w]) => name.padStart(w)).join("")}`,
    ...rows.map((r) => `${r.label.padEnd(width)}${cells(r).join("")}`),
  ];
}

const brief = (report: MetricsReport, key: string) => {
  const f = report.figures[key]!;
  return `${key} ${fmt(f.value)}${f.ci === null ? "" : ` [${fmt(f.ci[0])}, ${fmt(f.ci[1])}]`}`;
};

/**
 * The collapse block and a short block per wording origin (its macro row: per task it is in the JSON);
 * nothing for --promptfoo.
 */
function collapseBlocks(report: MetricsFileReport): string {
  if (report.collapse === null) return "";
  const lines = [
    "",
    `collapse (accuracy and cr_correct: normalised exact match; cr: ${report.settings.similarity}; input_sens: share of`,
    "  answers that change with the input, 0 for an answer that ignores it; see calign metrics --help)",
    ...collapseTable(report.collapse, true),
  ];
  for (const [origin, view] of Object.entries(report.views)) {
    lines.push(
      "",
      `view ${origin} (its variants only): ${view.items} items, ${brief(view, "cr_macro")}, ${brief(view, "quality_mean")}`,
      ...collapseTable(view.collapse, false),
    );
  }
  return `${lines.join("\n")}\n`;
}

const CSV_COLUMNS = [
  "id",
  "variants",
  "cr",
  "cr_correct",
  "quality_mean",
  "quality_worst",
  "quality_best",
  "quality_std",
  "quality_gap",
  "pss",
  "quality_original",
  "quality_paraphrase_mean",
  "posix",
];

function csvRow(item: ItemResult) {
  const q = item.quality;
  return {
    id: item.id,
    variants: item.variants,
    cr: item.consistency,
    cr_correct: item.pairs === 0 || item.correctSimSum === null ? null : item.correctSimSum / item.pairs,
    quality_mean: q?.mean,
    quality_worst: q?.worst,
    quality_best: q?.best,
    quality_std: q?.std,
    quality_gap: q?.gap,
    pss: q?.pss,
    quality_original: q?.original,
    quality_paraphrase_mean: q?.paraphraseMean,
    posix: item.posix,
  };
}

/** Items of a promptfoo results file (its outputs' answers), with promptfoo's scores as each variant's quality. */
async function promptfooItems(
  path: string,
  item: ItemOptions,
  answerOf: AnswerOf,
  io: CommandOutput,
): Promise<ItemResult[]> {
  const { groups, scores, errors } = await readPromptfooResults(path);
  if (errors > 0)
    io.stderr(`calign metrics: ${path}: ${errors} outputs left out (provider errors or no output)\n`);
  const items = await evaluateItems(withAnswers(groups, answerOf), item);
  return items.map((it, i) => {
    const s = scores.get(it.id);
    return s === undefined
      ? it
      : {
          ...it,
          quality: summarizeQuality(
            s,
            groups[i]!.variants.map((v) => v.origin),
          ),
        };
  });
}

export const metrics: Command & { run(argv: string[], io?: CommandOutput): Promise<number> } = {
  name: "metrics",
  summary: "consistency rate, worst/best/mean quality, PSS, PDR, POSIX with bootstrap intervals",
  help: HELP,
  options: METRICS_OPTIONS,
  async run(argv: string[], io: CommandOutput = processOutput) {
    const parsed = parseOptions(METRICS_OPTIONS, argv, 1);
    const { options: values, positionals } = parsed;
    const promptfoo = values.promptfoo !== null;
    if (promptfoo && positionals.length > 0)
      throw new UsageError("--promptfoo FILE replaces the responses file: give one or the other");
    if (!promptfoo && positionals.length !== 1) throw new UsageError("give one responses file (see --help)");
    for (const flag of ["quality", "references"] as const)
      if (promptfoo && parsed.given.has(flag))
        throw new UsageError(`--${flag} does not apply to --promptfoo (quality is promptfoo's score)`);
    const file = values.promptfoo ?? positionals[0]!;
    if (file === "-" && values.output === null)
      throw new UsageError("--output is needed when reading standard input");
    const output = values.output ?? `${file.replace(promptfoo ? /\.json$/ : /\.jsonl$/, "")}.metrics.json`;
    const s = settings(parsed);
    if (promptfoo) {
      s.described.quality = "promptfoo score";
      delete s.described.references;
    }
    return exitOnDataError(
      "metrics",
      async () => {
        const references = values.references === null ? null : await readReferences(values.references);
        const [measured, other] = await withSimilarity(s, values, async (item) => {
          const evaluate = (path: string) =>
            promptfoo
              ? promptfooItems(path, item, s.answerOf, io)
              : evaluateItems(measuredGroups(readResponseGroups(path), references, s.answerOf), item);
          const measured: MeasuredFile = promptfoo
            ? { items: await evaluate(file), collapse: null, views: new Map() }
            : await measureFile(file, item, references, s.answerOf);
          if (measured.items.length === 0) throw new UsageError(`${file} has no groups`);
          // Only the figures over every variant are compared: the other file's items suffice.
          const other =
            values.compare === null
              ? undefined
              : { file: values.compare, items: await evaluate(values.compare) };
          return [measured, other] as const;
        });
        const { items } = measured;
        const ids = new Set(items.map((item) => item.id));
        if (other && !other.items.some((item) => ids.has(item.id))) {
          throw new UsageError(`${file} and ${other.file} share no item id`);
        }
        const report = fileReport(file, measured, s, other);
        await writeTextAtomic(output, `${JSON.stringify(report, null, 2)}\n`);
        if (values.csv !== null) await writeCsv(values.csv, CSV_COLUMNS, items.map(csvRow));
        await io.stdout(`calign metrics: ${file}, ${items.length} items, ${JSON.stringify(s.described)}\n`);
        await io.stdout(table(report));
        await io.stdout(collapseBlocks(report));
        await io.stdout(`written: ${output}${values.csv === null ? "" : `, ${values.csv}`}\n`);
        return 0;
      },
      io,
    );
  },
};
