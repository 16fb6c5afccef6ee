// The backend interface: the one seam between calign's pipeline and whatever runs the model (its own
// engine, an OpenAI-compatible server, a mock). Versioned like the Vercel AI SDK's provider interface
// so an implementation written against v1 keeps working when v2 adds to it.
import type { Prompt, TextScoreItem } from "../models/index.js";
import type { ChatMessage } from "../tokenizers/index.js";

// Declared in the layers below that use them too: Prompt (plain text, to which the tokenizer's own
// special tokens such as BOS are added, or chat messages), TextScoreItem (a prompt and a completion).
export type { Prompt, TextScoreItem } from "../models/index.js";
export type { ChatMessage } from "../tokenizers/index.js";

export interface GenerateRequest {
  prompts: readonly Prompt[];
  /** Samples per prompt (default 1). */
  n?: number;
  /** 0 = greedy (default 0). */
  temperature?: number;
  /** Nucleus sampling mass; 1 = off (default 1). */
  topP?: number;
  /** Keep the k most likely tokens; 0 = off (default 0). */
  topK?: number;
  /** Most new tokens per sample (default 128). */
  maxTokens?: number;
  /** Sample j of a prompt draws from seed + j, so results do not depend on batching (default 0). */
  seed?: number;
  /** Text is cut before the first of these, which ends the sample. */
  stop?: readonly string[];
}

export interface Sample {
  text: string;
  /** OpenAI's finish reasons: "stop" (EOS or a stop string) or "length" (the token budget). */
  finishReason: "stop" | "length";
  /** Generated tokens, where the backend reports them. */
  tokenCount: number | null;
}

export interface GenerateResult {
  /** One list of n samples per prompt, in request order. */
  samples: Sample[][];
}

export interface Score {
  /** The completion's tokens, each as its text piece (as OpenAI-style servers list them). */
  tokens: string[];
  /** log p(token i | prompt, tokens before i), natural log. */
  tokenLogprobs: number[];
  /** Their sum: log p(completion | prompt). */
  logprob: number;
}

export interface Capabilities {
  /** Teacher-forced log-probs of given text; when false, `scoreUnavailable` says why. */
  score: boolean;
  scoreUnavailable?: string;
  /** Its weights can be trained in process (calign sft / cat). */
  train: boolean;
  /** Longest prompt + completion in tokens, where known. */
  maxContext: number | null;
  /** The model has a chat template (messages prompts work). */
  chatTemplate: boolean;
  /** tokenize() and applyChatTemplate() work. */
  tokenize: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface Backend {
  readonly specificationVersion: "v1";
  /** "embedded", "openai-compatible", "mock", ... */
  readonly provider: string;
  readonly modelId: string;
  capabilities(): Promise<Capabilities>;
  generate(request: GenerateRequest, options?: CallOptions): Promise<GenerateResult>;
  /** Prompt and completion are tokenized separately and their ids concatenated. */
  score(items: readonly TextScoreItem[], options?: CallOptions): Promise<Score[]>;
  tokenize(text: string, options?: { addSpecialTokens?: boolean }): Promise<number[]>;
  applyChatTemplate(
    messages: readonly ChatMessage[],
    options?: { addGenerationPrompt?: boolean },
  ): Promise<string>;
  /** Frees the model or connections; the backend is unusable afterwards. */
  close(): Promise<void>;
}

/** The request with every default filled in. */
export function withDefaults(r: GenerateRequest): Required<GenerateRequest> {
  return {
    prompts: r.prompts,
    n: r.n ?? 1,
    temperature: r.temperature ?? 0,
    topP: r.topP ?? 1,
    topK: r.topK ?? 0,
    maxTokens: r.maxTokens ?? 128,
    seed: r.seed ?? 0,
    stop: r.stop ?? [],
  };
}
