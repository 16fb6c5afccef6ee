// The `calign run` configuration: the whole pipeline in one YAML/JSON file. Sections map to stages;
// training sections accept every `calign sft` / `calign dpo` option, with the paper's defaults where
// method.md sets them (CAT: DPO sigmoid, β = 0.1, λ = sft_weight = 1).
import { HTTP_OPTIONS, type HttpSettings } from "../backends/http-options.js";
import {
  ConfigError,
  type ConfigValue,
  type FlatConfig,
  type OptionSchema,
  type OptionSpec,
  type Schema,
  type SettingsOf,
  sectionValues,
  settingsOf,
} from "../config/index.js";
import {
  ANSWER_PATTERN,
  BATCH_SIZE,
  BOOTSTRAP_RESAMPLES,
  CHAT,
  DEVICE,
  DTYPE,
  SAMPLING_OPTIONS,
} from "../config/shared-options.js";
import { DPO_SCHEMA } from "../train/dpo-schema.js";
import { SFT_SCHEMA } from "../train/sft-schema.js";

/** What the pipeline sets itself (paths inside the run directory). */
const OWNED = ["model", "data", "output", "resume", "chat"];

function trainingSection(schema: Schema, overrides: Record<string, Partial<OptionSpec>>): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (OWNED.includes(k)) continue;
    out[k] = { ...(v as OptionSpec), ...(overrides[k] ?? {}) } as OptionSpec;
  }
  return out;
}

export const STAGES = ["augment", "sft", "sft_ia", "sample", "reward", "pairs", "cat", "evaluate"] as const;
export type Stage = (typeof STAGES)[number];

/** Stage 2's own items (`calign run`'s `prompts`, `calign sample --prompts`). */
export const PROMPTS = {
  type: "string",
  default: null,
  help: "stage 2's items: calign JSONL groups sampled instead of the (augmented) training groups, under their instruction's training wordings too with wordings instruction; a self-reward needs no references, so these can be inputs stage 1 never trained on (references, where given, only feed the reward's checker figures)",
} as const satisfies OptionSpec;

/** The run's own options: its data, base model and systems; every stage reads them. */
export const RUN_OPTIONS = {
  model: {
    type: "string",
    default: null,
    help: "base model: a Hugging Face folder or .gguf (trained in stages 1 and 2)",
  },
  train: {
    type: "string",
    default: null,
    help: "training items: calign JSONL paraphrase groups with references",
  },
  eval: {
    type: "string",
    default: null,
    help: "held-out items: calign JSONL groups whose variants are the held-out wordings",
  },
  prompts: PROMPTS,
  chat: { ...CHAT, default: true },
  /** Read by reward, pairs and evaluate: where a response's answer is. */
  answer_pattern: ANSWER_PATTERN,
  /** Every stage's model calign's engine runs, and both trainers (a section's own device, not auto, wins). */
  device: DEVICE,
  /** The weights' dtype of every stage's model calign's engine runs (the trainers': sft.dtype, cat.dtype). */
  dtype: DTYPE,
  systems: {
    type: "string[]",
    default: ["base", "sft", "sft_ia", "cat"],
    help: "systems evaluated: base, sft (original wordings only), sft_ia (stage 1), cat (stage 2); a run that evaluates does only the stages they need",
  },
} satisfies OptionSchema;

/** Stage augment: where paraphrases come from, how many, and the filter that drops near-duplicates. */
export const AUGMENT_OPTIONS = {
  source: {
    type: "string",
    default: "rules",
    choices: ["rules", "pool", "model"] as const,
    help: "where paraphrases come from",
  },
  n: { type: "integer", default: 10, min: 1, help: "paraphrases per instruction (the paper's n)" },
  per_item: {
    type: "integer",
    default: 0,
    min: 0,
    help: "paraphrases attached to each item, a seeded draw from the n (0: all n)",
  },
  rows: {
    type: "string",
    default: "all",
    choices: ["all", "one"] as const,
    help: "SFT(IA)'s rows per item: all (its original wording and each attached paraphrase, the paper's augmentation) or one, a seeded draw among them (as many rows as SFT, so the two differ only in wording)",
  },
  seed: { type: "integer", default: 0, help: "seed of the paraphraser and of the rows' draw" },
  pool: { type: "string", default: null, help: 'source "pool": JSON file {task: [wordings]}' },
  paraphraser: {
    type: "string",
    default: null,
    help: 'source "model": a model path or an OpenAI-compatible base URL[#MODEL] (calign run: default its model)',
  },
  near_duplicate: {
    type: "number",
    default: 0.9,
    min: 0,
    max: 1,
    help: "drop paraphrases with ROUGE-L F1 >= this to a kept one",
  },
} satisfies OptionSchema;

/** Stage sample: the candidates drawn per instruction variant (method.md: k = 4, T = 0.8, top-p 0.95). */
export const SAMPLE_OPTIONS = {
  k: { type: "integer", default: 4, min: 2, help: "candidates per instruction variant" },
  temperature: { ...SAMPLING_OPTIONS.temperature, default: 0.8 },
  top_p: { ...SAMPLING_OPTIONS.top_p, default: 0.95 },
  max_tokens: { ...SAMPLING_OPTIONS.max_tokens, default: 64 },
  seed: { type: "integer", default: 0, help: "seed of the sampler" },
  max_groups: {
    type: "integer",
    default: 0,
    min: 0,
    help: "sample a seeded subset of this many items (0: all)",
  },
  variants_per_group: {
    type: "integer",
    default: 0,
    min: 0,
    help: "variants sampled per item, a seeded subset (0: all)",
  },
  wordings: {
    type: "string",
    default: "item",
    choices: ["item", "instruction", "rules"] as const,
    help: "the wordings an item is sampled under: its own; instruction: also every wording training gave its instruction (with augment.per_item, the paraphrases other items trained with); rules: instead, wordings no stage trained on, 2 rule-based rewrites of every wording training gave its task, none a training wording or near a held-out one",
  },
} satisfies OptionSchema;

/** Stage reward: how the stage-1 model scores its own candidates. */
export const REWARD_OPTIONS = {
  method: {
    type: "string",
    default: "judge",
    choices: [
      "judge",
      "loglik",
      "agreement",
      "agreement_contrastive",
      "agreement_unguarded",
      "reference",
    ] as const,
    help: 'self-reward: judge = P("Yes") of the stage-1 model as judge; loglik = mean token log-likelihood; agreement = mean ROUGE-L to the other variants\' candidates the judge accepts (P("Yes") >= 0.5), and P("Yes") - 1 for a candidate it rejects (below every accepted one); agreement_contrastive = mean ROUGE-L to the other variants\' candidates less that to other inputs\' candidates of the task (no judge; an answer given to every input earns 0); agreement_unguarded = mean ROUGE-L to every candidate of the other variants (pays answering one thing to every input); reference = ROUGE-L to the references',
  },
  judge_prompts: {
    type: "integer",
    default: 2,
    min: 1,
    max: 2,
    help: "judge prompts averaged (methods judge and agreement)",
  },
} satisfies OptionSchema;

/**
 * Stage 1's verification examples, which teach the judging skill the reward stage uses: the judge's
 * question about a training item's wording and a candidate answer, labelled Yes/No by the checker.
 * The SFT baseline and SFT(IA) get the same ones.
 */
export const JUDGE_DATA_OPTIONS = {
  examples_per_item: {
    type: "integer",
    default: 2,
    min: 0,
    help: "verification examples per training item in stage 1 (SFT and SFT(IA) alike), half Yes and half No as exact match to the item's references labels them (0: none)",
  },
  seed: {
    type: "integer",
    default: 0,
    help: "seed of the verification examples' draws (wordings, wrong answers, judge prompts)",
  },
} satisfies OptionSchema;

/** Stage pairs: which candidate pairs become preference pairs. */
export const PAIRS_OPTIONS = {
  mode: {
    type: "string",
    default: "best-worst",
    choices: ["best-worst", "all", "best-of-item"] as const,
    help: "pairs per candidate set: its best vs its worst, all above the gap, or the best of the item's wordings vs its worst",
  },
  min_gap: { type: "number", default: 0.05, min: 0, help: "drop pairs whose reward gap is below this" },
} satisfies OptionSchema;

/** Stage evaluate: greedy responses to the held-out wordings and the bootstrap of their figures. */
export const EVALUATE_OPTIONS = {
  max_tokens: { ...SAMPLING_OPTIONS.max_tokens, default: 32 },
  batch_size: { ...BATCH_SIZE, default: 16 },
  bootstrap: BOOTSTRAP_RESAMPLES,
} satisfies OptionSchema;

export const RUN_SCHEMA: Schema = {
  ...RUN_OPTIONS,
  augment: AUGMENT_OPTIONS,
  sft: trainingSection(SFT_SCHEMA, {}),
  judge_data: JUDGE_DATA_OPTIONS,
  sample: SAMPLE_OPTIONS,
  reward: REWARD_OPTIONS,
  pairs: PAIRS_OPTIONS,
  cat: trainingSection(DPO_SCHEMA, { sft_weight: { default: 1 } }),
  evaluate: EVALUATE_OPTIONS,
  http: HTTP_OPTIONS,
};

/** A trainer's options as its worker reads them (validated against `calign sft` / `calign dpo`'s schema). */
export type TrainerConfig = Record<string, ConfigValue>;

/** The settings of each stage's config section. */
export interface StageSections {
  augment: SettingsOf<typeof AUGMENT_OPTIONS>;
  sft: TrainerConfig;
  sample: SettingsOf<typeof SAMPLE_OPTIONS>;
  reward: SettingsOf<typeof REWARD_OPTIONS>;
  pairs: SettingsOf<typeof PAIRS_OPTIONS>;
  cat: TrainerConfig;
  evaluate: SettingsOf<typeof EVALUATE_OPTIONS>;
}
export type Section = keyof StageSections;

/** A `calign run` configuration, typed: the run's own options, every stage's section, and how stages reach servers. */
export type RunSettings = SettingsOf<typeof RUN_OPTIONS, "model" | "train" | "eval"> &
  StageSections & { http: HttpSettings; judgeData: SettingsOf<typeof JUDGE_DATA_OPTIONS> };

/** Types the values loaded from RUN_SCHEMA; model, train and eval must be set. */
export function runSettings(values: FlatConfig): RunSettings {
  const section = <S extends OptionSchema>(schema: S, name: Section) =>
    settingsOf(schema, values, { prefix: `${name}.` });
  return {
    ...settingsOf(RUN_OPTIONS, values, {
      required: ["model", "train", "eval"],
      missing: (key) => new ConfigError("run config", key, "required"),
    }),
    augment: section(AUGMENT_OPTIONS, "augment"),
    sft: sectionValues(values, "sft."),
    sample: section(SAMPLE_OPTIONS, "sample"),
    reward: section(REWARD_OPTIONS, "reward"),
    pairs: section(PAIRS_OPTIONS, "pairs"),
    cat: sectionValues(values, "cat."),
    evaluate: section(EVALUATE_OPTIONS, "evaluate"),
    http: settingsOf(HTTP_OPTIONS, values, { prefix: "http." }),
    judgeData: settingsOf(JUDGE_DATA_OPTIONS, values, { prefix: "judge_data." }),
  };
}
