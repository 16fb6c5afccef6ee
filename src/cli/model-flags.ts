// Flags and inputs shared by the model commands (generate, score, tokens): number parsing with the
// flag named in errors, loading a model and its tokenizer from one path, JSONL prompts read whole
// before any work starts (so bad input exits 1 with no partial output).
import { existsSync } from "node:fs";
import { parseMessages } from "../data/chat.js";
import { DataError } from "../data/errors.js";
import { Fields } from "../data/fields.js";
import { readRecords } from "../data/jsonl.js";
import { type DType, resolveDevice } from "../engine/index.js";
import { type CausalLM, loadModel } from "../models/index.js";
import { type ChatMessage, loadTokenizer, type Tokenizer } from "../tokenizers/index.js";
import { collect } from "../util/collect.js";
import { UsageError } from "./command.js";

export const MODEL_HELP = `  --model PATH           Hugging Face folder (config.json + safetensors + tokenizer.json) or a
                         .gguf file (required)
  --dtype NAME           float32 | bfloat16 | float16 weights in memory (default float32)
  --device NAME          auto | cpu | cuda | cuda:N; auto = cuda:0 when this libtorch has CUDA and
                         sees a GPU, else cpu (default auto)`;

/** A number flag: absent gives the default; `integer` and bounds are checked. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  dflt: number,
  { integer = false, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = {},
): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const range = `${min > Number.NEGATIVE_INFINITY ? ` >= ${min}` : ""}${max < Number.POSITIVE_INFINITY ? ` <= ${max}` : ""}`;
    throw new UsageError(`--${flag} must be ${integer ? "an integer" : "a number"}${range}, got '${value}'`);
  }
  return n;
}

const DTYPES = new Set(["float32", "bfloat16", "float16"]);

/** The --dtype flag (default float32), checked. */
export function dtypeFlag(dtype = "float32"): DType {
  if (!DTYPES.has(dtype))
    throw new UsageError(`--dtype must be float32, bfloat16 or float16, got '${dtype}'`);
  return dtype as DType;
}

/** The --device flag (default auto), resolved to a device this libtorch has. */
export function deviceFlag(device = "auto"): string {
  try {
    return resolveDevice(device);
  } catch (err) {
    throw new UsageError(`--${(err as Error).message}`);
  }
}

export function loadModelAndTokenizer(
  path: string | undefined,
  dtype = "float32",
  device = "auto",
): { model: CausalLM; tok: Tokenizer } {
  const tok = loadTokenizerFlag(path);
  return { model: loadModel(path!, { dtype: dtypeFlag(dtype), device: deviceFlag(device) }), tok };
}

export function loadTokenizerFlag(path: string | undefined): Tokenizer {
  if (path === undefined) throw new UsageError("--model PATH is required");
  if (!existsSync(path)) throw new UsageError(`--model ${path}: no such file or folder`);
  return loadTokenizer(path);
}

export type Id = string | number;

export interface PromptRecord {
  id: Id;
  prompt: string | ChatMessage[];
}

export function recordId(f: Fields): Id {
  const v = f.raw("id");
  if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return v;
  return f.fail("id", v === undefined ? "missing" : "expected a string or a number");
}

/** {"id","prompt"} or {"id","messages"} lines. */
export function parsePromptRecord(value: unknown, at: { file: string; line: number | null }): PromptRecord {
  const f = Fields.of(value, at);
  const id = recordId(f);
  if (f.has("prompt") === f.has("messages")) f.fail("prompt", 'give exactly one of "prompt" and "messages"');
  return { id, prompt: f.has("prompt") ? f.string("prompt") : parseMessages(f, "messages") };
}

/** Every record of a JSONL file, validated before any model work starts. */
export async function readAll<T>(
  file: string,
  parse: (value: unknown, at: { file: string; line: number | null }) => T,
): Promise<T[]> {
  const out = await collect(readRecords(file, parse));
  if (out.length === 0) throw new DataError({ file, line: null }, "(file)", "no records");
  return out;
}
