// The JSON of /v1/chat/completions: one assistant message per choice; `logprobs` as
// {content: [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}.
import { cutAtStop } from "../backends/cut-at-stop.js";
import type { RowResult } from "../backends/row-generate.js";
import type { Tokenizer } from "../tokenizers/index.js";
import { finishReason } from "./completion-response.js";
import type { ParsedRequest } from "./parse-request.js";
import { tokenText } from "./token-text.js";

export function chatResponse(
  id: string,
  model: string,
  req: ParsedRequest,
  results: RowResult[],
  tok: Tokenizer,
) {
  const entry = (token: number, logprob: number) => {
    const text = tokenText(tok, token);
    return { token: text, logprob, bytes: [...Buffer.from(text, "utf8")] };
  };
  const choices = results.map((r, index) => ({
    index,
    message: {
      role: "assistant",
      content: cutAtStop(tok.decode(r.tokens, { skipSpecialTokens: true }), req.params.stop),
    },
    logprobs:
      r.logprobs === null
        ? null
        : {
            content: r.logprobs.map((t) => ({
              ...entry(t.token, t.logprob ?? 0),
              top_logprobs: t.top.map(([id, lp]) => entry(id, lp)),
            })),
          },
    finish_reason: finishReason(r),
  }));
  const promptTokens = req.prompts[0]!.length;
  const completionTokens = results.reduce((a, r) => a + r.tokens.length, 0);
  return {
    id,
    object: "chat.completion",
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
