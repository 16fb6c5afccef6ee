// POST /v1/completions and /v1/chat/completions: parse, run the prompt log-probs echo and
// prompt_logprobs need, generate in the shared batch, answer as JSON or as a stream.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { EmbeddedBackend } from "../backends/embedded-backend.js";
import type { RowResult } from "../backends/row-generate.js";
import type { Batcher } from "./batcher.js";
import { chatResponse } from "./chat-response.js";
import { completionResponse } from "./completion-response.js";
import type { ServeLimits } from "./limits.js";
import {
  type ParsedRequest,
  parseChat,
  parseCompletion,
  rowsOf,
  type ServedModelInfo,
} from "./parse-request.js";
import type { Body } from "./request-fields.js";
import { streamGeneration } from "./stream-generation.js";

export interface ServeContext {
  backend: EmbeddedBackend;
  batcher: Batcher;
  info: ServedModelInfo;
  limits: ServeLimits;
}

export type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

export async function completions(
  ctx: ServeContext,
  body: Body,
  res: ServerResponse,
  reply: Reply,
): Promise<void> {
  const req = parseCompletion(body, ctx.info, ctx.limits);
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = ctx.info.id;
  if (req.stream) {
    return streamGeneration(res, req, ctx.batcher, ctx.info.tokenizer, (index, text, finish) => ({
      id,
      object: "text_completion",
      created,
      model,
      choices: [{ index, text: text ?? "", logprobs: null, finish_reason: finish }],
    }));
  }
  const k = Math.max(req.promptLogprobs ?? 0, req.params.logprobs ?? 0);
  const needTable = req.promptLogprobs !== null || (req.echo && req.params.logprobs !== null);
  const tables = needTable ? await ctx.backend.worker.promptLogprobs(req.prompts, k) : null;
  const { results, batchSize } = await generateAll(ctx, req);
  reply(200, completionResponse(id, model, req, results, tables, ctx.info.tokenizer), batchHeader(batchSize));
}

export async function chatCompletions(
  ctx: ServeContext,
  body: Body,
  res: ServerResponse,
  reply: Reply,
): Promise<void> {
  const req = parseChat(body, ctx.info, ctx.limits);
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = ctx.info.id;
  if (req.stream) {
    const chunk = (index: number, delta: Record<string, string>, finish: "stop" | "length" | null) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index, delta, logprobs: null, finish_reason: finish }],
    });
    return streamGeneration(
      res,
      req,
      ctx.batcher,
      ctx.info.tokenizer,
      (index, text, finish) => chunk(index, text === null ? {} : { content: text }, finish),
      (index) => chunk(index, { role: "assistant", content: "" }, null),
    );
  }
  const { results, batchSize } = await generateAll(ctx, req);
  reply(200, chatResponse(id, model, req, results, ctx.info.tokenizer), batchHeader(batchSize));
}

/** max_tokens 0 (echo / prompt_logprobs only) needs no generation at all. */
async function generateAll(
  ctx: ServeContext,
  req: ParsedRequest,
): Promise<{ results: RowResult[]; batchSize: number }> {
  const rows = rowsOf(req);
  if (req.params.maxNewTokens === 0) {
    const empty = (): RowResult => ({
      tokens: [],
      logprobs: req.params.logprobs === null ? null : [],
      finishReason: "length",
    });
    return { results: rows.map(empty), batchSize: 0 };
  }
  return ctx.batcher.submit(rows);
}

/** The number of requests that shared the batch: for clients' and tests' insight into batching. */
function batchHeader(size: number): Record<string, string> {
  return { "x-calign-batch-size": String(size) };
}
