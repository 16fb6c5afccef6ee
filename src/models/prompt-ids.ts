// Token ids of a prompt as the model should see it: plain text with the tokenizer's own special
// tokens (BOS for Llama 2), or chat messages rendered through the model's chat template.
import { type ChatMessage, encodeChat, type Tokenizer } from "../tokenizers/index.js";

/** Plain text, or chat messages. */
export type Prompt = string | readonly ChatMessage[];

/** With `chat`, a plain string becomes one user message. */
export function promptIds(tok: Tokenizer, prompt: Prompt, chat = false): number[] {
  if (typeof prompt !== "string") return encodeChat(tok, prompt);
  return chat ? encodeChat(tok, [{ role: "user", content: prompt }]) : tok.encode(prompt);
}

/** Completion ids: no special tokens, tokenized on its own (never joined with the prompt text). */
export function completionIds(tok: Tokenizer, completion: string): number[] {
  return tok.encode(completion, { addSpecialTokens: false });
}
