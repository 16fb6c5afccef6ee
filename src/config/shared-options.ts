// Options that several commands take, declared once: the same key, flag, type, help and default
// wherever they appear (a command may state a different default by spreading one of these, as the
// sample stage does for temperature). src/cli/commands/options.test.ts fails on a second spelling.
import type { OptionSpec } from "./schema.js";

const spec = <const S extends OptionSpec>(s: S): S => s;

/** A model calign loads itself: a Hugging Face folder or a .gguf file. */
export const MODEL_PATH = spec({
  type: "string",
  default: null,
  help: "Hugging Face folder (config.json + safetensors + tokenizer.json) or a .gguf file",
});

export const DTYPE = spec({
  type: "string",
  default: "float32",
  choices: ["float32", "bfloat16", "float16"] as const,
  help: "weights in memory (a trainer's half-precision base needs use_lora: adapters and optimizer state stay float32)",
});

/** Where a model runs (engine/device.ts resolves it). */
export const DEVICE = spec({
  type: "string",
  default: "auto",
  help: "auto | cpu | cuda | cuda:N; auto = cuda:0 when this libtorch has CUDA and sees a GPU, else cpu",
});

/** Where a command's result goes; absent: standard output. */
export const OUTPUT_FILE = spec({
  type: "string",
  default: null,
  short: "o",
  help: "where the results go, written atomically once all are done (none: standard output)",
});

export const CHAT = spec({
  type: "boolean",
  default: false,
  help: "wrap plain prompts as one user message through the model's chat template",
});

export const BATCH_SIZE = spec({
  type: "integer",
  default: 8,
  min: 1,
  help: "prompts per forward pass (generation or scoring)",
});

/** Resamples of the percentile bootstrap behind every interval (metrics, the evaluate stage). */
export const BOOTSTRAP_RESAMPLES = spec({
  type: "integer",
  default: 1000,
  min: 1,
  help: "bootstrap resamples for the intervals",
});

/** Decoding: one spelling for generate, the sample stage and the HTTP API's fields (OpenAI's names). */
export const SAMPLING_OPTIONS = {
  max_tokens: spec({ type: "integer", default: 128, min: 1, help: "most tokens generated per response" }),
  temperature: spec({
    type: "number",
    default: 0,
    min: 0,
    help: "0 = greedy (always the most likely token); otherwise sample from softmax(logits / T)",
  }),
  top_k: spec({
    type: "integer",
    default: 0,
    min: 0,
    help: "sample among the k most likely tokens only; 0 = all",
  }),
  top_p: spec({
    type: "number",
    default: 1,
    min: 0,
    max: 1,
    help: "sample among the most likely tokens whose mass reaches p (nucleus sampling); 1 = all",
  }),
} as const;

/** ROUGE's options wherever ROUGE scores text (rouge, metrics). */
export const ROUGE_OPTIONS = {
  stem: spec({
    type: "boolean",
    default: true,
    help: "Porter-stem tokens longer than 3 characters, as the SuperNI scorer runs rouge-score (--no-stem: off)",
  }),
  tokenizer: spec({
    type: "string",
    default: "default",
    choices: ["default", "unicode"] as const,
    help: "ROUGE tokenizer: default (lowercase ASCII letters and digits) or unicode (see calign rouge --help)",
  }),
} as const;

/** Launched as several ranks: how long each collective waits (torch.distributed's default, 30 minutes). */
export const DIST_TIMEOUT = spec({
  type: "integer",
  default: 1800,
  min: 1,
  help: "launched as several ranks: seconds a rank waits for the others before failing (torch's 30 min)",
});

/** Where a response works its way to its answer: the regular expression that finds the answer in it. */
export const ANSWER_PATTERN = spec({
  type: "string",
  default: null,
  help: "regular expression that finds the answer in a response (its last match; its first group if it has one), as lm-eval-harness's regex filter: exact match, CR, the collapse figures, the checker, judge and agreement rewards compare answers; a response it does not match counts whole (none: whole responses)",
});
