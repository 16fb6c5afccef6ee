// Inputs shared by the model commands (generate, score, tokens, serve): loading a model and its
// tokenizer from --model, the --truncation option, JSONL prompts read whole before any work starts
// (so bad input exits 1 with no partial output).
import { existsSync } from "node:fs";
import { checkEngineDtype } from "../backends/open-backend.js";
import type { OptionSchema, OptionSpec } from "../config/index.js";
import { DEVICE, DTYPE, MODEL_PATH } from "../config/shared-options.js";
import { parseMessages } from "../data/chat.js";
import { DataError } from "../data/errors.js";
import { Fields } from "../data/fields.js";
import { readRecords } from "../data/jsonl.js";
import { rankDevice } from "../distributed/index.js";
import { checkDevice, DeviceError, type DType } from "../engine/index.js";
import { type CausalLM, loadModel, TRUNCATION_MODES } from "../models/index.js";
import { type ChatMessage, loadTokenizer, type Tokenizer } from "../tokenizers/index.js";
import { collect } from "../util/collect.js";
import { UsageError } from "./command.js";

/** --model (required) and --dtype: the model a command loads itself (generate, score, serve). */
export const MODEL_OPTIONS = {
  model: { ...MODEL_PATH, help: `${MODEL_PATH.help} (required)` },
  dtype: DTYPE,
  device: DEVICE,
} as const satisfies OptionSchema;

/** The --truncation option of generate and score (fit-context.ts applies it). */
export const TRUNCATION = {
  type: "string",
  default: "error",
  choices: TRUNCATION_MODES,
  help: "a prompt too long for the model's context: error refuses it before any work; keep_start / keep_end keep its first / last tokens, as TRL's truncation_mode",
} as const satisfies OptionSpec;

export function loadModelAndTokenizer(
  path: string | null,
  dtype: DType,
  device: string,
): { model: CausalLM; tok: Tokenizer } {
  const tok = loadModelTokenizer(path);
  return { model: loadModel(path!, { dtype, device: deviceOption(device) }), tok };
}

/** --device resolved to a device this libtorch has; a bad one is a usage error naming the flag. */
export function deviceOption(name: string): string {
  return asUsageError(() => rankDevice(name));
}

/** --device checked, "auto" kept for the worker thread that loads the model (engine/device.ts). */
export function workerDeviceOption(name: string): string {
  return asUsageError(() => checkDevice(name));
}

/**
 * --device and --dtype of a model a worker thread loads: a device this build lacks, or a dtype it cannot
 * multiply in there, is a usage error naming the flag now, before anything is written ("auto" resolves
 * in the worker).
 */
export function workerEngineOptions(device: string, dtype: DType): { device: string; dtype: DType } {
  const checked = workerDeviceOption(device);
  asUsageError(() => checkEngineDtype(dtype, checked));
  return { device: checked, dtype };
}

function asUsageError<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof DeviceError) throw new UsageError(`--${err.message}`);
    throw err;
  }
}

/** The tokenizer of --model PATH, which is required and must exist. */
export function loadModelTokenizer(path: string | null): Tokenizer {
  if (path === null) throw new UsageError("--model PATH is required");
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
