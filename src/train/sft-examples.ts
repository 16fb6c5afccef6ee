// Reads TRL SFT JSONL ({"text"} | {"messages"} | {"prompt","completion"}) into token ids, the way TRL's
// SFTTrainer prepares them: chat data through the model's chat template, EOS closing every completion,
// and the loss on completion tokens only unless asked otherwise.
import { DataError, type Location, parseTrlSft, readJsonl, type SftExample } from "../data/index.js";
import { completionIds, promptIds } from "../models/index.js";
import { type ChatMessage, renderChatTemplate, type Tokenizer } from "../tokenizers/index.js";
import type { TokenizedExample, TruncationCounts } from "./tokenized-example.js";

export interface SftDataOptions {
  maxLength: number;
  /** Loss on completion tokens only (TRL's completion_only_loss, default true). */
  completionOnly: boolean;
  /** Wrap plain-string prompts as a user message through the chat template. */
  chat: boolean;
  eosId: number;
}

/** A conversation's completion: the rendered text after the prompt's generation header. */
function conversationCompletion(
  tok: Tokenizer,
  prompt: ChatMessage[],
  all: ChatMessage[],
  at: Location,
  field: string,
) {
  const promptText = renderChatTemplate(tok, prompt, { addGenerationPrompt: true });
  const fullText = renderChatTemplate(tok, all, { addGenerationPrompt: false });
  if (!fullText.startsWith(promptText))
    throw new DataError(
      at,
      field,
      "the chat template does not render the prompt as a prefix of the conversation",
    );
  return completionIds(tok, fullText.slice(promptText.length));
}

const asMessages = (v: string | ChatMessage[], role: string): ChatMessage[] =>
  typeof v === "string" ? [{ role, content: v }] : v;

/**
 * A prompt and a completion as separate ids: plain strings tokenized on their own (unless `chat`),
 * anything conversational through the chat template. `field` names the completion in errors.
 */
export function encodePromptCompletion(
  tok: Tokenizer,
  prompt: string | ChatMessage[],
  completion: string | ChatMessage[],
  at: Location,
  field: string,
  chat: boolean,
): { prompt: number[]; completion: number[] } {
  if (typeof prompt === "string" && typeof completion === "string" && !chat)
    return { prompt: promptIds(tok, prompt), completion: completionIds(tok, completion) };
  const p = asMessages(prompt, "user");
  return {
    prompt: promptIds(tok, p),
    completion: conversationCompletion(tok, p, [...p, ...asMessages(completion, "assistant")], at, field),
  };
}

/**
 * Whether a plain prompt-completion example fits `maxLength` whole (prompt, completion and the EOS that
 * closes it) as the trainer tokenizes it: for examples calign writes itself, which must never be refused
 * or cut. `at` locates it in errors.
 */
export function fitsWhole(
  tok: Tokenizer,
  example: { prompt: string; completion: string },
  maxLength: number,
  chat: boolean,
  at: Location,
): boolean {
  const ids = encodePromptCompletion(tok, example.prompt, example.completion, at, "completion", chat);
  // closeCompletion appends EOS unless the completion ends with one (the chat template may close it).
  const closing = tok.eosId !== undefined && ids.completion.at(-1) === tok.eosId ? 0 : 1;
  return ids.prompt.length + ids.completion.length + closing <= maxLength;
}

/**
 * Checks a tokenized completion is not empty and its prompt has a token, and closes the completion
 * with EOS (as TRL appends it) unless it already ends with one. `field` names the completion.
 */
export function closeCompletion(
  prompt: number[],
  completion: number[],
  at: Location,
  field: string,
  eosId: number,
): void {
  if (completion.length === 0 || completion.every((id) => id === eosId))
    throw new DataError(at, field, "is empty");
  if (completion[completion.length - 1] !== eosId) completion.push(eosId);
  if (prompt.length === 0)
    throw new DataError(at, "prompt", "tokenizes to nothing (the model needs at least one token)");
}

function tokenize(tok: Tokenizer, ex: SftExample, at: Location, opts: SftDataOptions): TokenizedExample {
  let prompt: number[];
  let completion: number[];
  if ("text" in ex) {
    const ids = tok.encode(ex.text);
    if (ids.length < 2) throw new DataError(at, "text", "needs at least two tokens");
    prompt = ids.slice(0, 1);
    completion = ids.slice(1);
  } else if ("messages" in ex) {
    const msgs = ex.messages;
    if (msgs[msgs.length - 1]?.role !== "assistant")
      throw new DataError(at, "messages", "the last message must be the assistant's");
    prompt = promptIds(tok, msgs.slice(0, -1));
    completion = conversationCompletion(tok, msgs.slice(0, -1), msgs, at, "messages");
  } else {
    ({ prompt, completion } = encodePromptCompletion(
      tok,
      ex.prompt,
      ex.completion,
      at,
      "completion",
      opts.chat,
    ));
  }
  closeCompletion(prompt, completion, at, "completion", opts.eosId);
  if (!opts.completionOnly && prompt.length > 1) {
    completion = [...prompt.slice(1), ...completion];
    prompt = prompt.slice(0, 1);
  }
  return { prompt, completion, at };
}

/**
 * All examples of a file, tokenized. A prompt that leaves no room for its completion is an error naming
 * the line; a completion longer than the room left is cut (never dropped) and counted.
 */
export async function readSftExamples(
  path: string,
  tok: Tokenizer,
  opts: SftDataOptions,
): Promise<{ examples: TokenizedExample[]; truncation: TruncationCounts }> {
  const examples: TokenizedExample[] = [];
  let truncated = 0;
  for await (const { value, at } of readJsonl(path)) {
    const ex = tokenize(tok, parseTrlSft(value, at), at, opts);
    if (ex.prompt.length >= opts.maxLength)
      throw new DataError(
        at,
        "prompt",
        `is ${ex.prompt.length} tokens, no room for a completion within max length ${opts.maxLength}`,
      );
    const room = opts.maxLength - ex.prompt.length;
    if (ex.completion.length > room) {
      ex.completion = ex.completion.slice(0, room);
      truncated++;
    }
    examples.push(ex);
  }
  if (examples.length === 0) throw new DataError({ file: path, line: null }, "(file)", "no examples");
  return { examples, truncation: { truncated, total: examples.length } };
}
