// The embedded backend: calign's own engine and models, loaded in a worker thread (so callers' event
// loops stay free), generation in batches of rows, scoring with the same code the trainers use.
// The only backend whose weights calign can train.
import type { DType } from "../engine/index.js";
import { cutAtStop } from "../models/cut-at-stop.js";
import { completionIds, promptIds } from "../models/index.js";
import { loadTokenizer, renderChatTemplate, type Tokenizer } from "../tokenizers/index.js";
import {
  type Backend,
  type Capabilities,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type Sample,
  type Score,
  type TextScoreItem,
  withDefaults,
} from "./backend.js";
import { CapabilityError } from "./backend-errors.js";
import { ModelWorker } from "./model-worker.js";
import type { GenRow } from "./row-generate.js";

export interface EmbeddedOptions {
  /** Weights in memory (default float32). */
  dtype?: DType;
  /** auto | cpu | cuda | cuda:N (default auto), resolved by engine/device.ts in the model's worker. */
  device?: string;
  /** Rows (prompts × samples) per forward pass in generate (default 16). */
  batchSize?: number;
  /** Items per forward pass in score (default 8). */
  scoreBatchSize?: number;
  /** The model's name in results (default: the path). */
  modelId?: string;
}

export class EmbeddedBackend implements Backend {
  readonly specificationVersion = "v1";
  readonly provider = "embedded";

  private constructor(
    readonly modelId: string,
    /** The model's folder or GGUF file, for trainers that load it themselves. */
    readonly path: string,
    readonly tokenizer: Tokenizer,
    readonly worker: ModelWorker,
    private readonly opts: EmbeddedOptions,
  ) {}

  /** Loads a Hugging Face folder or a GGUF file. */
  static async load(path: string, opts: EmbeddedOptions = {}): Promise<EmbeddedBackend> {
    const tokenizer = loadTokenizer(path);
    const worker = await ModelWorker.start(path, opts.dtype ?? "float32", opts.device ?? "auto");
    return new EmbeddedBackend(opts.modelId ?? path, path, tokenizer, worker, opts);
  }

  async capabilities(): Promise<Capabilities> {
    return {
      score: true,
      train: true,
      maxContext: this.worker.info.maxPositions,
      chatTemplate: this.tokenizer.chatTemplate !== undefined,
      tokenize: true,
    };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const r = withDefaults(request);
    const rows: GenRow[] = r.prompts.flatMap((p) => {
      const ids = this.encodePrompt(p);
      return Array.from({ length: r.n }, (_, j) => ({
        ids,
        temperature: r.temperature,
        topK: r.topK,
        topP: r.topP,
        repetitionPenalty: 1,
        seed: r.seed + j,
        maxNewTokens: r.maxTokens,
        stop: r.stop,
        logprobs: null,
      }));
    });
    const size = this.opts.batchSize ?? 16;
    const flat: Sample[] = [];
    for (let s = 0; s < rows.length; s += size) {
      for (const g of await this.worker.generate(rows.slice(s, s + size))) {
        const text = this.tokenizer.decode(g.tokens, { skipSpecialTokens: true });
        flat.push({
          text: cutAtStop(text, r.stop),
          finishReason: g.finishReason === "length" ? "length" : "stop",
          tokenCount: g.tokens.length,
        });
      }
    }
    return { samples: r.prompts.map((_, i) => flat.slice(i * r.n, (i + 1) * r.n)) };
  }

  async score(items: readonly TextScoreItem[]): Promise<Score[]> {
    const encoded = items.map((it) => ({
      prompt: this.encodePrompt(it.prompt),
      completion: completionIds(this.tokenizer, it.completion),
    }));
    const scores = await this.worker.score(encoded, this.opts.scoreBatchSize ?? 8);
    return scores.map((s, i) => ({
      tokens: encoded[i]!.completion.map((id) => this.tokenizer.decode([id])),
      tokenLogprobs: s.tokenLogprobs,
      logprob: s.sum,
    }));
  }

  async tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    return this.tokenizer.encode(text, options);
  }

  async applyChatTemplate(
    messages: readonly ChatMessage[],
    options: { addGenerationPrompt?: boolean } = {},
  ): Promise<string> {
    this.requireChatTemplate();
    return renderChatTemplate(
      this.tokenizer,
      messages.map((m) => ({ ...m })),
      options,
    );
  }

  close(): Promise<void> {
    return this.worker.close();
  }

  private encodePrompt(p: GenerateRequest["prompts"][number]): number[] {
    if (typeof p !== "string") this.requireChatTemplate();
    return promptIds(this.tokenizer, p);
  }

  private requireChatTemplate(): void {
    if (this.tokenizer.chatTemplate === undefined)
      throw new CapabilityError(
        `${this.modelId}: the model has no chat template, so chat messages cannot be used`,
      );
  }
}
