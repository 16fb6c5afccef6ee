// The JSON of /v1/completions (OpenAI's legacy shape): text per choice, with `echo` the prompt first;
// `logprobs` as {tokens, token_logprobs, top_logprobs, text_offset} (the first echoed token has
// null, there being nothing before it); vLLM's `prompt_logprobs` as a list with null first and then
// {"<token id>": {logprob, rank, decoded_token}} holding the prompt token and the top alternatives.

import type { PromptTokenLogprob } from "../backends/prompt-logprobs.js";
import type { RowResult, TokenLogprob } from "../backends/row-generate.js";
import type { Tokenizer } from "../tokenizers/index.js";
import type { ParsedCompletion } from "./parse-request.js";
import { finishReason, generatedText, responseBody } from "./response-body.js";
import { tokenText } from "./token-text.js";

export function completionResponse(
  id: string,
  model: string,
  req: ParsedCompletion,
  results: RowResult[],
  /** Teacher-forced log-probs of each prompt, when echo + logprobs or prompt_logprobs asked for them. */
  promptTables: PromptTokenLogprob[][] | null,
  tok: Tokenizer,
) {
  const choices = results.map((r, index) => {
    const p = Math.floor(index / req.n);
    const ids = req.prompts[p]!;
    const generated = generatedText(tok, r, req.params.stop);
    const promptText = req.echo ? tok.decode(ids) : "";
    const table = promptTables?.[p] ?? null;
    const choice: Record<string, unknown> = {
      index,
      text: promptText + generated,
      logprobs:
        req.params.logprobs === null
          ? null
          : legacyLogprobs(tok, req.echo ? ids : [], table, r.logprobs ?? [], req.params.logprobs),
      finish_reason: finishReason(r),
    };
    if (req.promptLogprobs !== null)
      choice.prompt_logprobs = vllmPromptLogprobs(tok, table ?? [], req.promptLogprobs);
    return choice;
  });
  const promptTokens = req.prompts.reduce((a, p) => a + p.length, 0);
  return responseBody(id, "text_completion", model, choices, promptTokens, results);
}

function legacyLogprobs(
  tok: Tokenizer,
  echoed: number[],
  table: PromptTokenLogprob[] | null,
  generated: TokenLogprob[],
  k: number,
) {
  const entries: { token: number; logprob: number | null; top: [number, number][] | null }[] = [];
  echoed.forEach((token, t) => {
    const e = t === 0 ? null : (table?.[t - 1] ?? null);
    entries.push({ token, logprob: e?.logprob ?? null, top: e === null ? null : e.top.slice(0, k) });
  });
  for (const g of generated) entries.push({ token: g.token, logprob: g.logprob, top: g.top });
  const tokens = entries.map((e) => tokenText(tok, e.token));
  let offset = 0;
  const text_offset = tokens.map((t) => {
    const at = offset;
    offset += t.length;
    return at;
  });
  return {
    tokens,
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) =>
      e.top === null ? null : Object.fromEntries(e.top.map(([id, lp]) => [tokenText(tok, id), lp])),
    ),
    text_offset,
  };
}

/** The table was computed with the larger of logprobs and prompt_logprobs alternatives: keep k. */
function vllmPromptLogprobs(tok: Tokenizer, table: PromptTokenLogprob[], k: number) {
  const entry = (e: PromptTokenLogprob) => {
    const out: Record<string, { logprob: number; rank: number; decoded_token: string }> = {};
    e.top.slice(0, k).forEach(([id, lp], j) => {
      out[String(id)] = { logprob: lp, rank: j + 1, decoded_token: tokenText(tok, id) };
    });
    out[String(e.token)] = { logprob: e.logprob, rank: e.rank, decoded_token: tokenText(tok, e.token) };
    return out;
  };
  return [null, ...table.map(entry)];
}
