// The JSON of /v1/chat/completions: one assistant message per choice; `logprobs` as
// {content: [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}.
import type { RowResult } from "../backends/row-generate.js";
import type { Tokenizer } from "../tokenizers/index.js";
import type { ParsedRequest } from "./parse-request.js";
import { finishReason, generatedText, responseBody } from "./response-body.js";
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
      content: generatedText(tok, r, req.params.stop),
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
  return responseBody(id, "chat.completion", model, choices, req.prompts[0]!.length, results);
}
