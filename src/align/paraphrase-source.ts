// Where paraphrases come from: a model behind any backend (the paper's strong-LLM paraphraser), a fixed
// pool of wordings (the task suite's offline stand-in for that model), or anything else with this shape.

import type { Backend } from "../backends/index.js";
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

/** Paraphrases from a model: one sampled answer, split into lines, list markers removed. */
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
      maxTokens: opts.maxTokens ?? 64 * n,
      seed,
    });
    return (samples[0]?.[0]?.text ?? "")
      .split("\n")
      .map((l) => l.replace(/^\s*(?:\d+[.)]|[-*•])\s*/, "").trim())
      .filter((l) => l !== "");
  };
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
