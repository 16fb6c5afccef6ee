// The pipeline's stages as stand-alone commands: `calign augment`, `sample`, `reward`, `pairs`,
// `evaluate` (and `cat`, stage 2's trainer, in cat.ts). `calign run` chains the same functions.

import { rulesSource } from "../../align/paraphrase-rules-source.js";
import type { RewardMethod } from "../../align/reward.js";
import { RUN_SCHEMA } from "../../align/run-schema.js";
import type { AugmentSettings } from "../../align/stage-files.js";
import { augmentFile, evaluateModels, pairsFile, rewardFile, sampleFile } from "../../align/stage-files.js";
import type { OptionSpec, Schema } from "../../config/index.js";
import { UsageError } from "../command.js";
import { stageCommand } from "../stage-command.js";

const section = (name: string) => RUN_SCHEMA[name] as Schema;
const io = (input: string, output: string): Schema => ({
  input: { type: "string", default: null, help: input },
  output: { type: "string", default: null, help: output },
});
const model: Schema = {
  model: {
    type: "string",
    default: null,
    help: "the model: a folder or .gguf (calign's engine) or an OpenAI-compatible base URL",
  },
};
const chat: Schema = { chat: RUN_SCHEMA.chat as OptionSpec };

export const augment = stageCommand({
  name: "augment",
  summary: "n filtered paraphrases per instruction (rules, a pool, or any model)",
  description:
    "Adds up to n paraphrases to every group's original instruction (calign JSONL in and out). Sources: rules (offline,\nrule-based), pool (a JSON file {task: [wordings]}), model (a paraphrasing prompt to any backend). Paraphrases are\nde-duplicated and filtered (near-duplicates by ROUGE-L, lost constraint words, length outliers); the summary counts each.",
  schema: {
    ...io("calign JSONL groups", "calign JSONL groups with the paraphrases added"),
    ...section("augment"),
    held_out: {
      type: "string",
      default: null,
      help: "calign JSONL evaluation groups: paraphrases near any of their wordings never reach training",
    },
    ...chat,
  },
  required: ["input", "output"],
  outputKey: "output",
  run: (get) =>
    augmentFile(get("input") as string, get("output") as string, {
      source: get("source") as AugmentSettings["source"],
      n: get("n") as number,
      perItem: get("per_item") as number,
      seed: get("seed") as number,
      pool: get("pool") as string | null,
      paraphraser: get("paraphraser") as string | null,
      paraphraserModel: get("paraphraser_model") as string | null,
      nearDuplicate: get("near_duplicate") as number,
      chat: get("chat") as boolean,
      rules: rulesSource,
      heldOut: get("held_out") as string | null,
    }),
});

export const sample = stageCommand({
  name: "sample",
  summary: "k candidate responses per instruction variant",
  description:
    "Samples k candidates for every variant of every group (calign JSONL in; candidate sets JSONL out).",
  schema: {
    ...io("calign JSONL groups (augmented)", "candidate sets JSONL"),
    ...model,
    ...section("sample"),
    ...chat,
  },
  required: ["input", "output", "model"],
  outputKey: "output",
  run: (get, progress) =>
    sampleFile(
      get("input") as string,
      get("output") as string,
      get("model") as string,
      {
        k: get("k") as number,
        temperature: get("temperature") as number,
        topP: get("top_p") as number,
        maxTokens: get("max_tokens") as number,
        seed: get("seed") as number,
        chat: get("chat") as boolean,
        batch: 16,
        maxGroups: get("max_groups") as number,
        variantsPerGroup: get("variants_per_group") as number,
      },
      progress,
    ),
});

export const reward = stageCommand({
  name: "reward",
  summary: 'self-reward each candidate (default: P("Yes") of the model as judge)',
  description:
    'Scores every candidate with the model itself. judge: P("Yes") / (P("Yes") + P("No")) read from the model\'s\nnext-token distribution after judge prompts (averaged over several prompts; nothing parsed from text); loglik: mean\ntoken log-likelihood; agreement: mean ROUGE-L to the other variants\' candidates; reference: ROUGE-L against the\nreferences (--references). The summary reports judge health: mean, spread, tie rate and a histogram.',
  schema: {
    ...io("candidate sets JSONL", "candidate sets JSONL with rewards"),
    ...model,
    ...section("reward"),
    references: {
      type: "string",
      default: null,
      help: "calign JSONL groups with references (method reference)",
    },
    ...chat,
  },
  required: ["input", "output", "model"],
  outputKey: "output",
  run: (get, progress) =>
    rewardFile(
      get("input") as string,
      get("output") as string,
      get("model") as string,
      {
        method: get("method") as RewardMethod,
        judgePrompts: get("judge_prompts") as number,
        chat: get("chat") as boolean,
        references: get("references") as string | null,
      },
      progress,
    ),
});

export const pairs = stageCommand({
  name: "pairs",
  summary: "preference pairs (TRL JSONL) from rewarded candidates",
  description:
    "Best vs worst candidate per prompt (or all pairs) whose reward gap is at least min_gap, as TRL preference JSONL.",
  schema: { ...io("rewarded candidate sets JSONL", "TRL preference JSONL"), ...section("pairs") },
  required: ["input", "output"],
  outputKey: "output",
  run: (get) =>
    pairsFile(get("input") as string, get("output") as string, {
      mode: get("mode") as "best-worst" | "all",
      minGap: get("min_gap") as number,
    }),
});

export const evaluate = stageCommand({
  name: "evaluate",
  summary: "responses of one or more models to held-out variants, with every metric and paired comparisons",
  description:
    "Greedy responses of each system to every variant of the held-out items, then accuracy (normalised exact match),\nROUGE-L and the consistency rate with bootstrap intervals; each system is compared with the one before it.\nSystems are NAME=MODEL (a folder, .gguf, or OpenAI-compatible URL), in order.",
  schema: {
    input: { type: "string", default: null, help: "calign JSONL held-out groups" },
    output: {
      type: "string",
      default: null,
      help: "folder for SYSTEM.responses.jsonl and SYSTEM.metrics.json",
    },
    systems: { type: "string[]", default: [], help: "NAME=MODEL,... in comparison order" },
    ...section("evaluate"),
    ...chat,
  },
  required: ["input", "output"],
  outputKey: "output",
  run: (get, progress) => {
    const systems = (get("systems") as string[]).map((s): [string, string] => {
      const eq = s.indexOf("=");
      if (eq <= 0) throw new UsageError(`--systems entries are NAME=MODEL, got '${s}'`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    });
    if (systems.length === 0) throw new UsageError("--systems is required (NAME=MODEL,...)");
    return evaluateModels(
      get("input") as string,
      get("output") as string,
      systems,
      {
        chat: get("chat") as boolean,
        maxTokens: get("max_tokens") as number,
        batch: get("batch") as number,
        bootstrap: get("bootstrap") as number,
      },
      progress,
    );
  },
});
