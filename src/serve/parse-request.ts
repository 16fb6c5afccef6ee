// /v1/completions and /v1/chat/completions bodies checked and turned into token ids and per-row
// generation parameters. Defaults follow OpenAI (temperature 1, top_p 1, n 1, completions
// max_tokens 16, chat max_tokens = the rest of the context); vLLM's top_k, repetition_penalty and
// prompt_logprobs extras are accepted. A prompt that cannot fit its completion in the context is a 400.
import type { GenRow } from "../backends/row-generate.js";
import { type ChatMessage, encodeChat, type Tokenizer } from "../tokenizers/index.js";
import { badField, RequestError } from "./request-error.js";
import { type Body, optionalBoolean, optionalNumber, stopStrings } from "./request-fields.js";

export interface ServedModelInfo {
  id: string;
  tokenizer: Tokenizer;
  maxContext: number;
  vocabSize: number;
}

/** Most samples per prompt, most top log-probs: bounds that keep one request from owning the server. */
export const MAX_N = 16;
export const MAX_TOP_LOGPROBS = 20;

export interface ParsedRequest {
  /** Prompt token ids, one entry per prompt. */
  prompts: number[][];
  n: number;
  /** Row parameters shared by every sample (the seed is per row: seed + sample index). */
  params: Omit<GenRow, "ids" | "seed"> & { seed: number | null };
  stream: boolean;
}

export interface ParsedCompletion extends ParsedRequest {
  echo: boolean;
  promptLogprobs: number | null;
}

export function parseCompletion(body: Body, m: ServedModelInfo): ParsedCompletion {
  checkModel(body, m);
  const prompts = completionPrompts(body.prompt, m);
  const echo = optionalBoolean(body, "echo", false);
  const logprobs = body.logprobs == null ? null : optionalNumber(body, "logprobs", 0, topRange);
  const promptLogprobs =
    body.prompt_logprobs == null ? null : optionalNumber(body, "prompt_logprobs", 0, topRange);
  const maxTokens = optionalNumber(body, "max_tokens", 16, { integer: true, min: 0 });
  const r = { ...common(body, m, prompts, maxTokens, logprobs), echo, promptLogprobs };
  if (r.stream && (echo || logprobs !== null || promptLogprobs !== null))
    throw badField("stream", "streaming with echo, logprobs or prompt_logprobs is not supported");
  if (maxTokens === 0 && !echo && promptLogprobs === null)
    throw badField("max_tokens", "0 generates nothing; it is only useful with echo or prompt_logprobs");
  return r;
}

export function parseChat(body: Body, m: ServedModelInfo): ParsedRequest {
  checkModel(body, m);
  if (m.tokenizer.chatTemplate === undefined)
    throw new RequestError(400, `the model ${m.id} has no chat template; use /v1/completions`, "messages");
  const ids = encodeChat(m.tokenizer, chatMessages(body.messages));
  const wantsLogprobs = optionalBoolean(body, "logprobs", false);
  const top = optionalNumber(body, "top_logprobs", 0, topRange);
  if (body.top_logprobs != null && !wantsLogprobs) throw badField("top_logprobs", "needs logprobs: true");
  const key = body.max_completion_tokens == null ? "max_tokens" : "max_completion_tokens";
  const maxTokens = optionalNumber(body, key, Math.max(1, m.maxContext - ids.length), {
    integer: true,
    min: 1,
  });
  const r = common(body, m, [ids], maxTokens, wantsLogprobs ? top : null);
  if (r.stream && wantsLogprobs) throw badField("stream", "streaming with logprobs is not supported");
  return r;
}

const topRange = { integer: true, min: 0, max: MAX_TOP_LOGPROBS };

function common(
  body: Body,
  m: ServedModelInfo,
  prompts: number[][],
  maxNewTokens: number,
  logprobs: number | null,
): ParsedRequest {
  const n = optionalNumber(body, "n", 1, { integer: true, min: 1, max: MAX_N });
  const longest = Math.max(...prompts.map((p) => p.length));
  if (longest + maxNewTokens > m.maxContext)
    throw new RequestError(
      400,
      `max_tokens: the prompt (${longest} tokens) plus max_tokens (${maxNewTokens}) exceeds the model's context of ${m.maxContext} tokens`,
      "max_tokens",
    );
  const topK = optionalNumber(body, "top_k", 0, { integer: true, min: -1 });
  return {
    prompts,
    n,
    stream: optionalBoolean(body, "stream", false),
    params: {
      temperature: optionalNumber(body, "temperature", 1, { min: 0, max: 2 }),
      topP: optionalNumber(body, "top_p", 1, { min: Number.MIN_VALUE, max: 1 }),
      topK: topK === -1 ? 0 : topK,
      repetitionPenalty: optionalNumber(body, "repetition_penalty", 1, { min: 0.01, max: 10 }),
      seed: body.seed == null ? null : optionalNumber(body, "seed", 0, { integer: true, min: 0 }),
      maxNewTokens,
      stop: stopStrings(body),
      logprobs,
    },
  };
}

function checkModel(body: Body, m: ServedModelInfo): void {
  const v = body.model;
  if (v === undefined || v === null) return;
  if (typeof v !== "string") throw badField("model", `expected a string, got ${JSON.stringify(v)}`);
  if (v !== m.id)
    throw new RequestError(
      404,
      `model: the model '${v}' does not exist (this server has '${m.id}')`,
      "model",
    );
}

/** A string, a list of strings, a list of token ids, or a list of lists of token ids. */
function completionPrompts(v: unknown, m: ServedModelInfo): number[][] {
  const isIds = (x: unknown): x is number[] =>
    Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t));
  let prompts: number[][];
  if (typeof v === "string") prompts = [m.tokenizer.encode(v)];
  else if (isIds(v)) prompts = [v];
  else if (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === "string"))
    prompts = (v as string[]).map((p) => m.tokenizer.encode(p));
  else if (Array.isArray(v) && v.length > 0 && v.every(isIds)) prompts = v as number[][];
  else
    throw badField(
      "prompt",
      v === undefined
        ? "required"
        : "expected a string, a list of strings, a list of token ids or a list of lists of token ids",
    );
  for (const p of prompts) {
    if (p.length === 0) throw badField("prompt", "a prompt has no tokens");
    const bad = p.find((t) => t < 0 || t >= m.vocabSize);
    if (bad !== undefined)
      throw badField("prompt", `token id ${bad} is outside the vocabulary (0..${m.vocabSize - 1})`);
  }
  return prompts;
}

function chatMessages(v: unknown): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0)
    throw badField("messages", "expected a non-empty list of messages");
  return v.map((msg, i) => {
    const at = `messages[${i}]`;
    if (msg === null || typeof msg !== "object")
      throw badField(at, "expected an object with role and content");
    const { role, content } = msg as Body;
    if (typeof role !== "string" || role === "") throw badField(`${at}.role`, "expected a non-empty string");
    if (typeof content === "string") return { role, content };
    // OpenAI's content parts: only text parts are meaningful to a text model.
    if (Array.isArray(content) && content.every((p) => p?.type === "text" && typeof p.text === "string"))
      return { role, content: content.map((p: { text: string }) => p.text).join("") };
    throw badField(`${at}.content`, "expected a string or a list of text parts");
  });
}

/** One generation row per (prompt, sample); sample j draws from seed + j. */
export function rowsOf(req: ParsedRequest): GenRow[] {
  const { seed, ...params } = req.params;
  return req.prompts.flatMap((ids) =>
    Array.from({ length: req.n }, (_, j) => ({ ...params, ids, seed: seed === null ? null : seed + j })),
  );
}
