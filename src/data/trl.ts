// Hugging Face TRL's dataset formats as JSONL: SFT ("text", "messages", or "prompt"+"completion") and
// preference ("prompt"+"chosen"+"rejected", prompt optional when implicit in the conversations).
// Fields TRL does not read are ignored, as TRL ignores extra columns.
import type { ChatMessage } from "../tokenizers/index.js";
import { parseMessages, parseTextOrMessages } from "./chat.js";
import { DataError, type Location } from "./errors.js";
import { Fields } from "./fields.js";
import { type ReadOptions, readRecords, writeJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

export type SftExample =
  | { text: string }
  | { messages: ChatMessage[] }
  | { prompt: string | ChatMessage[]; completion: string | ChatMessage[] };

export interface PreferencePair {
  /** Absent in TRL's "implicit prompt" form, where chosen and rejected are whole conversations. */
  prompt?: string | ChatMessage[];
  chosen: string | ChatMessage[];
  rejected: string | ChatMessage[];
}

export function parseTrlSft(value: unknown, at: Location): SftExample {
  const f = Fields.of(value, at);
  const shapes = ["text", "messages", "prompt"].filter((k) => f.has(k));
  if (shapes.length !== 1) {
    throw new DataError(
      at,
      "(record)",
      'expected exactly one of "text", "messages", or "prompt" with "completion"',
    );
  }
  if (f.has("text")) return { text: f.string("text") };
  if (f.has("messages")) return { messages: parseMessages(f, "messages") };
  return { prompt: parseTextOrMessages(f, "prompt"), completion: parseTextOrMessages(f, "completion") };
}

export function parseTrlPreference(value: unknown, at: Location): PreferencePair {
  const f = Fields.of(value, at);
  const pair: PreferencePair = {
    chosen: parseTextOrMessages(f, "chosen"),
    rejected: parseTextOrMessages(f, "rejected"),
  };
  if (f.has("prompt")) pair.prompt = parseTextOrMessages(f, "prompt");
  return pair;
}

export function readTrlSft(input: Input, options?: ReadOptions): AsyncGenerator<SftExample> {
  return readRecords(input, parseTrlSft, options);
}

export function readTrlPreference(input: Input, options?: ReadOptions): AsyncGenerator<PreferencePair> {
  return readRecords(input, parseTrlPreference, options);
}

// The TypeScript shapes are TRL's JSON shapes, so writing is plain JSONL.
export function writeTrlSft(
  path: string,
  examples: AsyncIterable<SftExample> | Iterable<SftExample>,
): Promise<void> {
  return writeJsonl(path, examples);
}

export function writeTrlPreference(
  path: string,
  pairs: AsyncIterable<PreferencePair> | Iterable<PreferencePair>,
): Promise<void> {
  return writeJsonl(path, pairs);
}
