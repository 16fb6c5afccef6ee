// /v1/completions and /v1/chat/completions bodies checked and turned into token ids and per-row
// generation parameters. Defaults follow OpenAI (temperature 1, top_p 1, n 1, completions
// max_tokens 16, chat max_tokens = the rest of the context); vLLM's top_k, repetition_penalty and
// prompt_logprobs extras are accepted. A prompt that cannot fit its completion in the context is a 400,
// and so is a request over the server's limits (limits.ts): counts are checked before any tokenizing,
// tokens before any row is queued.
import type { GenRow } from "../backends/row-generate.js";
import { type ChatMessage, encodeChat, type Tokenizer } from "../tokenizers/index.js";
import type { ServeLimits } from "./limits.js";
import { badField, RequestError } from "./request-error.js";
import { type Body, optionalBoolean, optionalNumber, stopStrings } from "./request-fields.js";

export interface ServedModelInfo {
  id: string;
  tokenizer: Tokenizer;
  maxContext: number;
  vocabSize: number;
}

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

export function parseCompletion(body: Body, m: ServedModelInfo, limits: ServeLimits): ParsedCompletion {
  checkModel(body, m);
  const n = samplesOf(body, limits);
  const maxTokens = optionalNumber(body, "max_tokens", 16, { integer: true, min: 0 });
  const prompts = completionPrompts(body.prompt, m, limits, (promptTokens) => (promptTokens + maxTokens) * n);
  const echo = optionalBoolean(body, "echo", false);
  const top = topRange(limits);
  const logprobs = body.logprobs == null ? null : optionalNumber(body, "logprobs", 0, top);
  const promptLogprobs =
    body.prompt_logprobs == null ? null : optionalNumber(body, "prompt_logprobs", 0, top);
  const r = { ...common(body, m, limits, prompts, n, maxTokens, logprobs), echo, promptLogprobs };
  if (r.stream && (echo || logprobs !== null || promptLogprobs !== null))
    throw badField("stream", "streaming with echo, logprobs or prompt_logprobs is not supported");
  if (maxTokens === 0 && !echo && promptLogprobs === null)
    throw badField("max_tokens", "0 generates nothing; it is only useful with echo or prompt_logprobs");
  return r;
}

export function parseChat(body: Body, m: ServedModelInfo, limits: ServeLimits): ParsedRequest {
  checkModel(body, m);
  if (m.tokenizer.chatTemplate === undefined)
    throw new RequestError(400, `the model ${m.id} has no chat template; use /v1/completions`, "messages");
  const n = samplesOf(body, limits);
  const ids = encodeChat(m.tokenizer, chatMessages(body.messages));
  const wantsLogprobs = optionalBoolean(body, "logprobs", false);
  const top = optionalNumber(body, "top_logprobs", 0, topRange(limits));
  if (body.top_logprobs != null && !wantsLogprobs) throw badField("top_logprobs", "needs logprobs: true");
  const key = body.max_completion_tokens == null ? "max_tokens" : "max_completion_tokens";
  const maxTokens = optionalNumber(body, key, Math.max(1, m.maxContext - ids.length), {
    integer: true,
    min: 1,
  });
  const r = common(body, m, limits, [ids], n, maxTokens, wantsLogprobs ? top : null);
  if (r.stream && wantsLogprobs) throw badField("stream", "streaming with logprobs is not supported");
  return r;
}

const topRange = (limits: ServeLimits) => ({ integer: true, min: 0, max: limits["max-top-logprobs"] });

const samplesOf = (body: Body, limits: ServeLimits) =>
  optionalNumber(body, "n", 1, { integer: true, min: 1, max: limits["max-n"] });

function common(
  body: Body,
  m: ServedModelInfo,
  limits: ServeLimits,
  prompts: number[][],
  n: number,
  maxNewTokens: number,
  logprobs: number | null,
): ParsedRequest {
  const total = prompts.reduce((sum, p) => sum + (p.length + maxNewTokens) * n, 0);
  if (total > limits["max-request-tokens"]) throw overTokens(total, limits);
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
      stop: stopStrings(body, limits["max-stop"], limits["max-stop-chars"]),
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

function overTokens(total: number, limits: ServeLimits): RequestError {
  return new RequestError(
    400,
    `prompt: the request needs ${total} tokens ((prompt + max_tokens) x n over its prompts), over the server's limit of ${limits["max-request-tokens"]} (--max-request-tokens)`,
    "prompt",
  );
}

/**
 * A string, a list of strings, a list of token ids, or a list of lists of token ids. The list's length
 * is checked before any prompt is tokenized, and tokenizing stops as soon as `cost` of the prompts so
 * far exceeds the request's token limit.
 */
function completionPrompts(
  v: unknown,
  m: ServedModelInfo,
  limits: ServeLimits,
  cost: (promptTokens: number) => number,
): number[][] {
  const isIds = (x: unknown): x is number[] =>
    Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t));
  const many = Array.isArray(v) && v.length > 0 && !v.every((t) => Number.isInteger(t));
  if (many && v.length > limits["max-prompts"])
    throw badField(
      "prompt",
      `${v.length} prompts exceed the server's limit of ${limits["max-prompts"]} per request (--max-prompts)`,
    );
  let total = 0;
  const encode = (text: string) => {
    const ids = m.tokenizer.encode(text);
    total += cost(ids.length);
    if (total > limits["max-request-tokens"]) throw overTokens(total, limits);
    return ids;
  };
  let prompts: number[][];
  if (typeof v === "string") prompts = [encode(v)];
  else if (isIds(v)) prompts = [v];
  else if (many && v.every((p) => typeof p === "string")) prompts = (v as string[]).map(encode);
  else if (many && v.every(isIds)) prompts = v as number[][];
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
