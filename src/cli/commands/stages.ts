// The pipeline's stages as stand-alone commands: `calign augment`, `sample`, `reward`, `pairs`,
// `evaluate` (and `cat`, stage 2's trainer, in cat.ts). `calign run` chains the same functions, with
// the same settings: each stage's section of the run schema, typed once.

import { type AugmentSummary, augmentWarnings } from "../../align/augment.js";
import { rulesSource } from "../../align/paraphrase-rules-source.js";
import {
  AUGMENT_OPTIONS,
  EVALUATE_OPTIONS,
  PAIRS_OPTIONS,
  PROMPTS,
  REWARD_OPTIONS,
  RUN_OPTIONS,
  SAMPLE_OPTIONS,
} from "../../align/run-schema.js";
import { augmentFile, evaluateModels, pairsFile, rewardFile, sampleFile } from "../../align/stage-files.js";
import { UsageError } from "../command.js";
import { stageCommand } from "../stage-command.js";

/** An optional path (the stage command lists the required ones). */
const path = (help: string) => ({ type: "string", default: null, help }) as const;
const io = (input: string, output: string) => ({ input: path(input), output: path(output) });
const model = {
  model: path(
    "the model: a folder or .gguf (calign's engine, or --http.server), or an OpenAI-compatible base URL[#MODEL]",
  ),
};
const chat = { chat: RUN_OPTIONS.chat };
const answers = { answer_pattern: RUN_OPTIONS.answer_pattern };
const HELD_OUT = path(
  "calign JSONL evaluation groups: paraphrases near any of their wordings are dropped (augment's, and sample's rule rewrites), so none reaches training",
);

export const augment = stageCommand({
  name: "augment",
  summary: "n filtered paraphrases per instruction (rules, a pool, or any model)",
  description:
    "Adds up to n paraphrases to every group's original instruction (calign JSONL in and out). Sources: rules (offline,\nrule-based), pool (a JSON file {task: [wordings]}), model (a paraphrasing prompt to any backend). Paraphrases are\nde-duplicated and filtered (near-duplicates by ROUGE-L, lost constraint words, length outliers); the summary counts each.",
  schema: {
    ...io("calign JSONL groups", "calign JSONL groups with the paraphrases added"),
    ...AUGMENT_OPTIONS,
    held_out: HELD_OUT,
    ...chat,
  },
  required: ["input", "output"],
  outputKey: "output",
  opensModel: true,
  run: ({ input, output, ...s }, _progress, c) => augmentFile(input, output, { ...s, rules: rulesSource }, c),
  warnings: (summary) => augmentWarnings(summary as AugmentSummary),
});

export const sample = stageCommand({
  name: "sample",
  summary: "k candidate responses per instruction variant",
  description:
    "Samples k candidates for every variant of every group (calign JSONL in; candidate sets JSONL out).",
  schema: {
    ...io("calign JSONL groups (augmented)", "candidate sets JSONL"),
    prompts: PROMPTS,
    ...model,
    ...SAMPLE_OPTIONS,
    held_out: HELD_OUT,
    ...chat,
  },
  required: ["input", "output", "model"],
  outputKey: "output",
  distributes: true,
  opensModel: true,
  run: ({ input, prompts, output, model, ...s }, progress, c, group) =>
    sampleFile(input, prompts, output, model, { ...s, rules: rulesSource }, c, progress, group),
});

export const reward = stageCommand({
  name: "reward",
  summary: 'self-reward each candidate (default: P("Yes") of the model as judge)',
  description:
    'Scores every candidate with the model itself. judge: P("Yes") / (P("Yes") + P("No")) read from the model\'s\nnext-token distribution after judge prompts (averaged over several prompts; nothing parsed from text); loglik: mean\ntoken log-likelihood; agreement: mean ROUGE-L to the other variants\' candidates the judge accepts (P("Yes") >= 0.5),\nP("Yes") - 1 for a candidate it rejects (below every accepted one); agreement_contrastive: mean ROUGE-L to the\nother variants\' candidates less that to other inputs\' candidates of the same task (an answer given to every input\nearns 0); agreement_unguarded: mean ROUGE-L to every other variant\'s candidate; reference: ROUGE-L against the\nreferences (--references). The summary reports judge health: mean, spread, tie rate, a histogram and, given\n--references, agreement with the checker (exact match): verdicts at P("Yes") = 0.5 and the AUC of the scores.',
  schema: {
    ...io("candidate sets JSONL", "candidate sets JSONL with rewards"),
    ...model,
    ...REWARD_OPTIONS,
    references: path(
      "calign JSONL groups with references (method reference; judge health's agreement with the checker)",
    ),
    ...answers,
    ...chat,
  },
  required: ["input", "output", "model"],
  outputKey: "output",
  distributes: true,
  opensModel: true,
  run: ({ input, output, model, ...s }, progress, c, group) =>
    rewardFile(input, output, model, s, c, progress, group),
});

export const pairs = stageCommand({
  name: "pairs",
  summary: "preference pairs (TRL JSONL) from rewarded candidates",
  description:
    "Best vs worst candidate per prompt (or all pairs) whose reward gap is at least min_gap, as TRL preference JSONL.\nGiven --references, the summary also says how the pairs stand against the checker (exact match): the shares\nwhose chosen and rejected answers are right, and of right over wrong, wrong over right and two wrong answers.",
  schema: {
    ...io("rewarded candidate sets JSONL", "TRL preference JSONL"),
    ...PAIRS_OPTIONS,
    references: path("calign JSONL groups with references (the pairs against the checker)"),
    ...answers,
  },
  required: ["input", "output"],
  outputKey: "output",
  run: ({ input, output, ...s }) => pairsFile(input, output, s),
});

export const evaluate = stageCommand({
  name: "evaluate",
  summary: "responses of one or more models to held-out variants, with every metric and paired comparisons",
  description:
    "Greedy responses of each system to every variant of the held-out items, then accuracy (normalised exact match),\nROUGE-L, the consistency rate and CR on correct answers with bootstrap intervals, and per task the collapse\ndiagnostics (accuracy next to the majority-answer and chance baselines, input sensitivity); each system is compared\nwith the one before it and flagged when its CR rose with falling input sensitivity or accuracy. When the variants'\norigins differ (seed and held-out wordings, say), every figure is also reported per origin (views).\nSystems are NAME=MODEL (a folder or .gguf, or an OpenAI-compatible base URL[#MODEL]), in order.",
  schema: {
    ...io("calign JSONL held-out groups", "folder for SYSTEM.responses.jsonl and SYSTEM.metrics.json"),
    systems: { type: "string[]", default: [], help: "NAME=MODEL,... in comparison order" },
    ...EVALUATE_OPTIONS,
    ...answers,
    ...chat,
  },
  required: ["input", "output"],
  outputKey: "output",
  distributes: true,
  opensModel: true,
  run: ({ input, output, systems: named, ...s }, progress, c, group) => {
    const systems = named.map((s): [string, string] => {
      const eq = s.indexOf("=");
      if (eq <= 0) throw new UsageError(`--systems entries are NAME=MODEL, got '${s}'`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    });
    if (systems.length === 0) throw new UsageError("--systems is required (NAME=MODEL,...)");
    return evaluateModels(input, output, systems, s, c, progress, group);
  },
});
