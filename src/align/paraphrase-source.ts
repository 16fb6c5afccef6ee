// Where paraphrases come from: a model behind any backend (the paper's strong-LLM paraphraser), a fixed
// pool of wordings (the task suite's offline stand-in for that model), or anything else with this shape.

import { type Backend, CapabilityError, type Prompt } from "../backends/index.js";
import { fillTemplate } from "./fill-template.js";

/** Up to n candidate rewrites of an instruction (filters run afterwards). */
export type ParaphraseSource = (
  instruction: string,
  n: number,
  seed: number,
  task?: string,
) => Promise<string[]>;

export const PARAPHRASE_PROMPT = `Rewrite the instruction below in {n} different ways. Every rewrite must mean exactly the same
thing and keep every constraint: the same answer format, the same quoted words and numbers, and any
{input} placeholder unchanged. Vary the wording and sentence structure (question or command, short or
long, formal or casual). Write one rewrite per line, with no numbering and nothing else.

Instruction: {instruction}`;

/** Tokens asked for per rewrite, capped by what the model's context leaves after the prompt. */
const TOKENS_PER_REWRITE = 64;
/** Tokens a chat template may add around the prompt, when the backend cannot render it for counting. */
const CHAT_TEMPLATE_ALLOWANCE = 64;

/**
 * Paraphrases from a model: one sampled answer, split into lines, list markers removed. A last line
 * cut off by the token budget is dropped: it may be half a rewrite.
 */
export function backendSource(
  backend: Backend,
  opts: { temperature?: number; maxTokens?: number; chat?: boolean } = {},
): ParaphraseSource {
  return async (instruction, n, seed) => {
    const text = fillTemplate(PARAPHRASE_PROMPT, { n: String(n), instruction });
    const prompt = opts.chat === false ? text : [{ role: "user", content: text }];
    const { samples } = await backend.generate({
      prompts: [prompt],
      temperature: opts.temperature ?? 0.9,
      topP: 0.95,
      maxTokens: opts.maxTokens ?? (await fitContext(backend, prompt, TOKENS_PER_REWRITE * n)),
      seed,
    });
    const sample = samples[0]?.[0];
    const lines = (sample?.text ?? "").split("\n");
    if (sample?.finishReason === "length") lines.pop();
    return lines.map((l) => l.replace(/^\s*(?:\d+[.)]|[-*•])\s*/, "").trim()).filter((l) => l !== "");
  };
}

/**
 * `want` new tokens, or fewer when the prompt and `want` would not fit the model's context (a server
 * answers 400 to that); unchanged when the backend knows no context length or cannot count tokens.
 */
async function fitContext(backend: Backend, prompt: Prompt, want: number): Promise<number> {
  const caps = await backend.capabilities();
  if (caps.maxContext === null || !caps.tokenize) return want;
  const used = await promptTokens(backend, prompt);
  const room = caps.maxContext - used;
  if (room < TOKENS_PER_REWRITE)
    throw new CapabilityError(
      `${backend.modelId}: the paraphrase prompt takes ${used} of the model's ${caps.maxContext} context tokens, leaving no room for a rewrite; use a model with a longer context`,
    );
  return Math.min(want, room);
}

/** The prompt's length in tokens, or (for a chat template the backend cannot render) an upper estimate. */
async function promptTokens(backend: Backend, prompt: Prompt): Promise<number> {
  if (typeof prompt === "string") return (await backend.tokenize(prompt)).length;
  try {
    return (await backend.tokenize(await backend.applyChatTemplate(prompt))).length;
  } catch (err) {
    if (!(err instanceof CapabilityError)) throw err;
    const text = prompt.map((m) => m.content).join("\n");
    return (await backend.tokenize(text)).length + CHAT_TEMPLATE_ALLOWANCE;
  }
}

/** Paraphrases drawn (seeded, without replacement) from a pool of wordings per task. */
export function poolSource(pools: ReadonlyMap<string, readonly string[]>): ParaphraseSource {
  return async (_instruction, n, seed, task) => {
    const pool = task === undefined ? undefined : pools.get(task);
    if (pool === undefined) throw new Error(`no paraphrase pool for task ${JSON.stringify(task)}`);
    const order = pool.map((_, i) => i);
    let s = seed >>> 0;
    for (let i = order.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order.slice(0, n).map((i) => pool[i] as string);
  };
}
