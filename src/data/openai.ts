// The OpenAI fine-tuning JSONL formats (also accepted by Together and Fireworks): SFT {"messages"} and
// DPO {"input": {"messages"}, "preferred_output", "non_preferred_output"}. Text content only; other fields
// (tools, weights) are ignored.
import type { ChatMessage } from "../tokenizers/index.js";
import { parseMessages } from "./chat.js";
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";
import { type ReadOptions, readRecords, writeJsonl } from "./jsonl.js";
import type { Input } from "./source.js";
import type { PreferencePair } from "./trl.js";

export interface OpenAiSftExample {
  messages: ChatMessage[];
}

/** A DPO record read as a preference pair whose three parts are message lists. */
export interface OpenAiPreferencePair {
  prompt: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
}

function needsAssistant(f: Fields, key: string, messages: ChatMessage[]): void {
  if (!messages.some((m) => m.role === "assistant"))
    f.fail(key, 'needs at least one message with role "assistant"');
}

export function parseOpenAiSft(value: unknown, at: Location): OpenAiSftExample {
  const f = Fields.of(value, at);
  const messages = parseMessages(f, "messages");
  needsAssistant(f, "messages", messages);
  return { messages };
}

export function parseOpenAiDpo(value: unknown, at: Location): OpenAiPreferencePair {
  const f = Fields.of(value, at);
  const prompt = parseMessages(f.object("input"), "messages");
  const chosen = parseMessages(f, "preferred_output");
  const rejected = parseMessages(f, "non_preferred_output");
  needsAssistant(f, "preferred_output", chosen);
  needsAssistant(f, "non_preferred_output", rejected);
  return { prompt, chosen, rejected };
}

export function readOpenAiSft(input: Input, options?: ReadOptions): AsyncGenerator<OpenAiSftExample> {
  return readRecords(input, parseOpenAiSft, options);
}

export function readOpenAiDpo(input: Input, options?: ReadOptions): AsyncGenerator<OpenAiPreferencePair> {
  return readRecords(input, parseOpenAiDpo, options);
}

export function writeOpenAiSft(
  path: string,
  examples: AsyncIterable<OpenAiSftExample> | Iterable<OpenAiSftExample>,
): Promise<void> {
  return writeJsonl(path, examples);
}

function asMessages(part: string | ChatMessage[], role: string): ChatMessage[] {
  return typeof part === "string" ? [{ role, content: part }] : part;
}

/** OpenAI DPO records from preference pairs; a string prompt is a user turn, a string answer an assistant turn. */
export function writeOpenAiDpo(
  path: string,
  pairs: AsyncIterable<PreferencePair> | Iterable<PreferencePair>,
): Promise<void> {
  return writeJsonl(path, pairs, (pair) => {
    if (pair.prompt === undefined) throw new TypeError("OpenAI DPO records need an explicit prompt");
    return {
      input: { messages: asMessages(pair.prompt, "user") },
      preferred_output: asMessages(pair.chosen, "assistant"),
      non_preferred_output: asMessages(pair.rejected, "assistant"),
    };
  });
}
