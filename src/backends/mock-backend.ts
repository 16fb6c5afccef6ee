// A backend for users' own unit tests: scripted texts (handed out in order) or a function decides what
// generate returns, an optional function scores, and every call is recorded for assertions.
import type {
  Backend,
  Capabilities,
  ChatMessage,
  GenerateRequest,
  GenerateResult,
  Prompt,
  Sample,
  Score,
  TextScoreItem,
} from "./backend.js";
import { withDefaults } from "./backend.js";
import { CapabilityError } from "./backend-errors.js";

export type MockResponder = (
  prompt: Prompt,
  sampleIndex: number,
  request: Required<GenerateRequest>,
) => string | Sample | Promise<string | Sample>;

export interface MockBackendOptions {
  modelId?: string;
  /** Texts handed out one per sample in order (an error once they run out), or a function. */
  generate?: readonly string[] | MockResponder;
  /** Scores an item: a total log-prob (one token) or a full Score. Without it, score is unavailable. */
  score?: (item: TextScoreItem) => number | Score | Promise<number | Score>;
  /** Overrides of the reported capabilities. */
  capabilities?: Partial<Capabilities>;
}

export interface MockCall {
  method: "generate" | "score" | "tokenize" | "applyChatTemplate";
  input: unknown;
}

export class MockBackend implements Backend {
  readonly specificationVersion = "v1";
  readonly provider = "mock";
  readonly modelId: string;
  /** Every call in order, with its input. */
  readonly calls: MockCall[] = [];
  private scripted = 0;

  constructor(private readonly opts: MockBackendOptions = {}) {
    this.modelId = opts.modelId ?? "mock";
  }

  async capabilities(): Promise<Capabilities> {
    return {
      score: this.opts.score !== undefined,
      ...(this.opts.score === undefined
        ? { scoreUnavailable: "the mock backend was given no score function" }
        : {}),
      train: false,
      maxContext: null,
      chatTemplate: true,
      tokenize: true,
      ...this.opts.capabilities,
    };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls.push({ method: "generate", input: request });
    const r = withDefaults(request);
    const samples: Sample[][] = [];
    for (const p of r.prompts) {
      const row: Sample[] = [];
      for (let j = 0; j < r.n; j++) row.push(toSample(await this.respond(p, j, r)));
      samples.push(row);
    }
    return { samples };
  }

  async score(items: readonly TextScoreItem[]): Promise<Score[]> {
    this.calls.push({ method: "score", input: items });
    const fn = this.opts.score;
    if (fn === undefined) throw new CapabilityError("mock backend: no score function was given");
    return Promise.all(
      items.map(async (it) => {
        const s = await fn(it);
        return typeof s === "number" ? { tokens: [it.completion], tokenLogprobs: [s], logprob: s } : s;
      }),
    );
  }

  /** UTF-8 bytes, plus 256 as BOS when special tokens are added. */
  async tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    this.calls.push({ method: "tokenize", input: text });
    const bytes = [...Buffer.from(text, "utf8")];
    return options.addSpecialTokens === false ? bytes : [256, ...bytes];
  }

  /** `<|role|>content` per message, then `<|assistant|>` for the generation prompt. */
  async applyChatTemplate(
    messages: readonly ChatMessage[],
    options: { addGenerationPrompt?: boolean } = {},
  ): Promise<string> {
    this.calls.push({ method: "applyChatTemplate", input: messages });
    const body = messages.map((m) => `<|${m.role}|>${m.content}`).join("");
    return options.addGenerationPrompt === false ? body : `${body}<|assistant|>`;
  }

  async close(): Promise<void> {}

  private respond(
    p: Prompt,
    j: number,
    r: Required<GenerateRequest>,
  ): string | Sample | Promise<string | Sample> {
    const g = this.opts.generate;
    if (typeof g === "function") return g(p, j, r);
    const script = g ?? [];
    if (this.scripted >= script.length)
      throw new Error(`mock backend: all ${script.length} scripted responses are used up`);
    return script[this.scripted++]!;
  }
}

function toSample(s: string | Sample): Sample {
  return typeof s === "string" ? { text: s, finishReason: "stop", tokenCount: null } : s;
}
