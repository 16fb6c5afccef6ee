// What /v1/completions and /v1/chat/completions answer alike: the envelope (id, object, created,
// model, choices, usage), each choice's generated text cut at the stop strings, and its finish reason.

import type { RowResult } from "../backends/row-generate.js";
import { cutAtStop } from "../models/cut-at-stop.js";
import type { Tokenizer } from "../tokenizers/index.js";

export function finishReason(r: RowResult): "stop" | "length" {
  return r.finishReason === "length" ? "length" : "stop";
}

/** A row's generated tokens as text, without special tokens, cut before the first stop string. */
export function generatedText(tok: Tokenizer, r: RowResult, stop: readonly string[]): string {
  return cutAtStop(tok.decode(r.tokens, { skipSpecialTokens: true }), stop);
}

export function responseBody<C>(
  id: string,
  object: "text_completion" | "chat.completion",
  model: string,
  choices: C[],
  promptTokens: number,
  results: RowResult[],
) {
  const completionTokens = results.reduce((a, r) => a + r.tokens.length, 0);
  return {
    id,
    object,
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}
