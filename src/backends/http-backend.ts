// The OpenAI-compatible HTTP backend: vLLM, SGLang, llama.cpp's server, Ollama, calign serve, hosted
// APIs. Plain prompts go to /v1/completions, chat prompts to /v1/chat/completions. Scoring sends the
// prompt's and the completion's token ids (from the server's /tokenize, tokenized separately so the
// boundary is exact) and reads their log-probs back through whichever method the capability probe
// found; a server that cannot score fails with a CapabilityError before any scoring call. Several
// replicas of one server may stand behind it (the client spreads calls and moves them off dead ones),
// and without a model name it serves the one model the server lists.
import {
  type Backend,
  type CallOptions,
  type Capabilities,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type Prompt,
  type Sample,
  type Score,
  type TextScoreItem,
  withDefaults,
} from "./backend.js";
import { BackendHttpError, CapabilityError } from "./backend-errors.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import { type CompletionBody, isTransient, probeScoring, type ScoreMethod } from "./score-probe.js";
import { servedModel } from "./served-model.js";

export interface HttpBackendOptions extends Omit<HttpClientOptions, "apiKey"> {
  /**
   * The API root including /v1, e.g. http://127.0.0.1:8000/v1, or the roots of several replicas
   * serving the same model.
   */
  baseURL: string | readonly string[];
  /** The model name the server knows; omitted, `HttpBackend.open` asks the server (`/v1/models`). */
  model?: string;
  /** Environment variable holding the API key (default OPENAI_API_KEY); unset = no key. */
  apiKeyEnv?: string;
  /** Send plain prompts as one user message to /v1/chat/completions (chat-only hosted models). */
  chat?: boolean;
  /** Use this scoring method only (default: whichever the probe finds, prompt_logprobs first). */
  scoreMethod?: ScoreMethod;
}

interface ChatBody {
  choices?: { index?: number; message?: { content?: string | null }; finish_reason?: string | null }[];
}

interface Probed {
  capabilities: Capabilities;
  method: ScoreMethod | null;
}

export class HttpBackend implements Backend {
  readonly specificationVersion = "v1";
  readonly provider = "openai-compatible";
  readonly modelId: string;
  readonly client: HttpClient;
  private probed: Promise<Probed> | null = null;

  /** `onClose` runs on close(), e.g. to stop a server calign launched for this backend. */
  constructor(
    private readonly opts: HttpBackendOptions & { model: string },
    private readonly onClose: () => Promise<void> = async () => {},
    client?: HttpClient,
  ) {
    this.modelId = opts.model;
    this.client = client ?? new HttpClient(opts.baseURL, { ...opts, apiKey: apiKey(opts) });
  }

  /** A backend for the model named in the options, or else for the only model the server lists. */
  static async open(opts: HttpBackendOptions, onClose?: () => Promise<void>): Promise<HttpBackend> {
    if (opts.model !== undefined) return new HttpBackend({ ...opts, model: opts.model }, onClose);
    const client = new HttpClient(opts.baseURL, { ...opts, apiKey: apiKey(opts) });
    return new HttpBackend({ ...opts, model: await servedModel(client) }, onClose, client);
  }

  async capabilities(): Promise<Capabilities> {
    return (await this.probe()).capabilities;
  }

  async generate(request: GenerateRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const r = withDefaults(request);
    const params = {
      model: this.modelId,
      n: r.n,
      temperature: r.temperature,
      top_p: r.topP,
      max_tokens: r.maxTokens,
      seed: r.seed,
      ...(r.topK > 0 ? { top_k: r.topK } : {}),
      ...(r.stop.length > 0 ? { stop: [...r.stop] } : {}),
    };
    const samples = await allOrNone(r.prompts, options, async (p, options): Promise<Sample[]> => {
      const chat = typeof p !== "string" || this.opts.chat === true;
      if (chat) {
        const messages = typeof p === "string" ? [{ role: "user", content: p }] : p;
        const body = { ...params, messages };
        const res = (await this.post("chat/completions", body, options)) as ChatBody;
        return byIndex(res.choices).map((c) => sample(c.message?.content ?? "", c.finish_reason));
      }
      const res = (await this.post("completions", { ...params, prompt: p }, options)) as CompletionBody;
      return byIndex(res.choices).map((c) => sample(c.text ?? "", c.finish_reason));
    });
    return { samples };
  }

  async score(items: readonly TextScoreItem[], options: CallOptions = {}): Promise<Score[]> {
    const { capabilities, method } = await this.probe();
    if (method === null) throw new CapabilityError(`${this.modelId}: ${capabilities.scoreUnavailable}`);
    return allOrNone(items, options, async (it, options) => {
      const prompt = await this.promptIds(it.prompt);
      const completion = await this.tokenize(it.completion, { addSpecialTokens: false });
      const ids = [...prompt, ...completion];
      const body = {
        model: this.modelId,
        prompt: ids,
        max_tokens: 1,
        temperature: 0,
        ...(method === "echo" ? { echo: true, logprobs: 1 } : { prompt_logprobs: 1 }),
      };
      const choice = ((await this.post("completions", body, options)) as CompletionBody).choices?.[0];
      const P = prompt.length;
      const L = completion.length;
      let tokens: string[];
      let lps: (number | null | undefined)[];
      if (method === "echo") {
        tokens = choice?.logprobs?.tokens?.slice(P, P + L) ?? [];
        lps = choice?.logprobs?.token_logprobs?.slice(P, P + L) ?? [];
      } else {
        const entries = (choice?.prompt_logprobs ?? []).slice(P, P + L);
        const picked = entries.map((e, i) => e?.[String(completion[i])]);
        tokens = picked.map((e) => e?.decoded_token ?? "");
        lps = picked.map((e) => e?.logprob);
      }
      if (lps.length !== L || lps.some((x) => typeof x !== "number"))
        throw new BackendHttpError(
          `${this.client.url("completions")}: expected ${L} completion log-probs by ${method}, got ${JSON.stringify(lps)}`,
          null,
        );
      const tokenLogprobs = lps as number[];
      return { tokens, tokenLogprobs, logprob: tokenLogprobs.reduce((a, b) => a + b, 0) };
    });
  }

  async tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    const body = { model: this.modelId, prompt: text, add_special_tokens: options.addSpecialTokens ?? true };
    return this.tokens(body);
  }

  async applyChatTemplate(
    messages: readonly ChatMessage[],
    options: { addGenerationPrompt?: boolean } = {},
  ): Promise<string> {
    const body = {
      model: this.modelId,
      messages,
      add_generation_prompt: options.addGenerationPrompt ?? true,
    };
    const res = (await this.serverEndpoint("apply-template", body)) as { prompt?: unknown };
    if (typeof res.prompt !== "string")
      throw new BackendHttpError(`${this.client.url("/apply-template")}: no "prompt" string`, null);
    return res.prompt;
  }

  async close(): Promise<void> {
    await this.onClose();
  }

  private post(path: string, body: unknown, options: CallOptions): Promise<unknown> {
    return this.client.post(path, body, { cache: true, ...options });
  }

  /** A vLLM / llama.cpp-style endpoint at the server root; a 404 means the server lacks it. */
  private async serverEndpoint(name: string, body: unknown): Promise<unknown> {
    try {
      return await this.client.post(`/${name}`, body);
    } catch (err) {
      if (err instanceof BackendHttpError && (err.status === 404 || err.status === 405))
        throw new CapabilityError(
          `${this.client.url("/")}: the server has no /${name} endpoint (${err.message})`,
        );
      throw err;
    }
  }

  private async tokens(body: unknown): Promise<number[]> {
    const res = (await this.serverEndpoint("tokenize", body)) as { tokens?: unknown };
    if (!Array.isArray(res.tokens))
      throw new BackendHttpError(`${this.client.url("/tokenize")}: no "tokens" list`, null);
    return res.tokens as number[];
  }

  private promptIds(p: Prompt): Promise<number[]> {
    if (typeof p === "string") return this.tokenize(p);
    return this.tokens({ model: this.modelId, messages: p, add_generation_prompt: true });
  }

  private probe(): Promise<Probed> {
    this.probed ??= (async () => {
      const tokenize = await this.tokenize("a").then(
        () => null,
        (err: Error) => {
          if (isTransient(err)) throw err;
          return err.message;
        },
      );
      const scoring = await probeScoring(this.client, this.modelId, this.opts.scoreMethod);
      const why = tokenize === null ? scoring.reason : `scoring needs the server's tokenizer: ${tokenize}`;
      const capabilities: Capabilities = {
        score: why === null,
        ...(why === null ? {} : { scoreUnavailable: why }),
        train: false,
        maxContext: await this.maxContext(),
        // The server applies its own template to chat requests; it reports a missing one there.
        chatTemplate: true,
        tokenize: tokenize === null,
      };
      return { capabilities, method: why === null ? scoring.method : null };
    })();
    // A probe that failed on a down or overloaded server is asked again next time, not remembered.
    this.probed.catch(() => {
      this.probed = null;
    });
    return this.probed;
  }

  /** vLLM and calign serve list max_model_len under /v1/models; others leave it unknown. */
  private async maxContext(): Promise<number | null> {
    try {
      const res = (await this.client.get("models")) as {
        data?: { id?: string; max_model_len?: number }[];
      };
      const m = res.data?.find((d) => d.id === this.modelId);
      return typeof m?.max_model_len === "number" ? m.max_model_len : null;
    } catch {
      return null;
    }
  }
}

function apiKey(opts: HttpBackendOptions): string | null {
  return process.env[opts.apiKeyEnv ?? "OPENAI_API_KEY"] ?? null;
}

/**
 * One call per item, all in parallel; the first to fail for good cancels the rest, which would only
 * spend their own retry budgets on the same dead or rejecting server before the batch fails anyway.
 */
async function allOrNone<T, R>(
  items: readonly T[],
  options: CallOptions,
  call: (item: T, options: CallOptions) => Promise<R>,
): Promise<R[]> {
  const batch = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, batch.signal]) : batch.signal;
  return Promise.all(
    items.map((item) =>
      call(item, { ...options, signal }).catch((err: unknown) => {
        batch.abort();
        throw err;
      }),
    ),
  );
}

function byIndex<T extends { index?: number }>(choices: T[] | undefined): T[] {
  return [...(choices ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
}

function sample(text: string, finish: string | null | undefined): Sample {
  return { text, finishReason: finish === "length" ? "length" : "stop", tokenCount: null };
}
