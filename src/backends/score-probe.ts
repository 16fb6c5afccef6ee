// Which way, if any, an OpenAI-compatible server can score given text, found by asking it once with a
// tiny request of each kind: vLLM's `prompt_logprobs` extra field, or `echo` + `logprobs` on
// /v1/completions (OpenAI's legacy models, vLLM, calign serve). llama.cpp's server and most hosted
// chat APIs do neither; the caller then learns why up front instead of scoring at chance.
import { BackendHttpError } from "./backend-errors.js";
import type { HttpClient } from "./http-client.js";

export type ScoreMethod = "prompt_logprobs" | "echo";

export interface ScoreProbe {
  method: ScoreMethod | null;
  /** Why scoring is unavailable (null when a method works). */
  reason: string | null;
}

const PROBE_PROMPT = "Hello world";

/** Tries prompt_logprobs, then echo (or only the one given). */
export async function probeScoring(
  client: HttpClient,
  model: string,
  only?: ScoreMethod,
): Promise<ScoreProbe> {
  const failures: string[] = [];
  for (const method of only ? [only] : (["prompt_logprobs", "echo"] as const)) {
    const body = {
      model,
      prompt: PROBE_PROMPT,
      max_tokens: 1,
      temperature: 0,
      ...(method === "echo" ? { echo: true, logprobs: 1 } : { prompt_logprobs: 1 }),
    };
    try {
      const choice = ((await client.post("completions", body)) as CompletionBody).choices?.[0];
      const n =
        method === "echo" ? choice?.logprobs?.token_logprobs?.length : choice?.prompt_logprobs?.length;
      if ((n ?? 0) >= 2) return { method, reason: null };
      failures.push(`${method}: the response carries no prompt log-probs`);
    } catch (err) {
      if (isTransient(err)) throw err;
      failures.push(`${method}: ${(err as Error).message}`);
    }
  }
  return {
    method: null,
    reason:
      `the server at ${client.url("completions")} cannot score given text (${failures.join("; ")}). ` +
      "Scoring needs vLLM's prompt_logprobs or echo + logprobs on /v1/completions (vLLM, calign serve).",
  };
}

/**
 * A failure that says nothing about what the server can do (it was down, overloaded or slow even
 * after the client's retries): the probe fails instead of concluding "cannot score".
 */
export function isTransient(err: unknown): boolean {
  return err instanceof BackendHttpError && (err.status === null || err.status === 429 || err.status >= 500);
}

/** The parts of a /v1/completions response calign reads. */
export interface CompletionBody {
  choices?: {
    index?: number;
    text?: string;
    finish_reason?: string | null;
    logprobs?: { tokens?: string[]; token_logprobs?: (number | null)[]; text_offset?: number[] } | null;
    prompt_logprobs?: (Record<string, { logprob: number; decoded_token?: string }> | null)[] | null;
  }[];
}
