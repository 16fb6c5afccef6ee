// A tokenizer assembled from Hugging Face tokenizers' pipeline pieces: added-token split →
// normalizer → pre-tokenizer → BPE per word → special tokens around the result; decoding maps ids
// back to token strings and runs the decoder chain.
import type { AddedToken } from "./added-tokens.js";
import { AddedTokenSplitter } from "./added-tokens.js";
import type { BpeModel } from "./bpe-model.js";
import type { Decoder } from "./decoders.js";
import type { Normalizer } from "./normalizers.js";
import type { PreTokenizer } from "./pre-tokenizers.js";

export interface TokenizerParts {
  model: BpeModel;
  /** "byte-level" (GPT-2, Llama 3, Qwen2, SmolLM) or "sentencepiece" (Llama 2, Mistral). */
  kind: "byte-level" | "sentencepiece";
  normalizer?: Normalizer | undefined;
  preTokenizer?: PreTokenizer | undefined;
  decoder?: Decoder | undefined;
  addedTokens: AddedToken[];
  /** Special token ids `encode` puts before / after the text when addSpecialTokens is on. */
  prefix: number[];
  suffix: number[];
  bosToken?: string | undefined;
  eosToken?: string | undefined;
  padToken?: string | undefined;
  chatTemplate?: string | undefined;
  /** Name of the pre-tokenizer regex family for GGUF export ("gpt-2", "llama-bpe", "qwen2", "smollm"). */
  ggufPre?: string | undefined;
}

export interface EncodeOptions {
  /** Add the BOS/EOS tokens the tokenizer's post-processor adds (default true). */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
}

export class Tokenizer {
  readonly model: BpeModel;
  readonly kind: TokenizerParts["kind"];
  readonly addedTokens: readonly AddedToken[];
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  readonly bosToken: string | undefined;
  readonly eosToken: string | undefined;
  readonly padToken: string | undefined;
  readonly chatTemplate: string | undefined;
  readonly ggufPre: string | undefined;
  private readonly parts: TokenizerParts;
  private readonly splitter: AddedTokenSplitter;
  private readonly addedById: Map<number, AddedToken>;
  private readonly addedByContent: Map<string, AddedToken>;

  constructor(parts: TokenizerParts) {
    this.parts = parts;
    this.model = parts.model;
    this.kind = parts.kind;
    this.addedTokens = parts.addedTokens;
    this.prefix = parts.prefix;
    this.suffix = parts.suffix;
    this.bosToken = parts.bosToken;
    this.eosToken = parts.eosToken;
    this.padToken = parts.padToken;
    this.chatTemplate = parts.chatTemplate;
    this.ggufPre = parts.ggufPre;
    this.splitter = new AddedTokenSplitter(parts.addedTokens);
    this.addedById = new Map(parts.addedTokens.map((t) => [t.id, t]));
    this.addedByContent = new Map(parts.addedTokens.map((t) => [t.content, t]));
  }

  get vocabSize(): number {
    let n = this.model.idToToken.length;
    for (const t of this.addedTokens) n = Math.max(n, t.id + 1);
    return n;
  }

  get bosId(): number | undefined {
    return this.bosToken === undefined ? undefined : this.tokenToId(this.bosToken);
  }

  get eosId(): number | undefined {
    return this.eosToken === undefined ? undefined : this.tokenToId(this.eosToken);
  }

  get padId(): number | undefined {
    return this.padToken === undefined ? undefined : this.tokenToId(this.padToken);
  }

  /** Whether encode({addSpecialTokens: true}) starts with BOS. */
  get addsBos(): boolean {
    return this.bosId !== undefined && this.prefix[0] === this.bosId;
  }

  tokenToId(token: string): number | undefined {
    return this.addedByContent.get(token)?.id ?? this.model.tokenToId.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.idToToken[id];
  }

  isSpecial(id: number): boolean {
    return this.addedById.get(id)?.special === true;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const { normalizer, preTokenizer } = this.parts;
    const ids: number[] = [];
    for (const seg of this.splitter.split(text)) {
      if ("id" in seg) {
        ids.push(seg.id);
        continue;
      }
      const normalized = normalizer === undefined ? seg.text : normalizer(seg.text);
      const words = preTokenizer === undefined ? [normalized] : preTokenizer([normalized], seg.start === 0);
      for (const w of words) for (const id of this.model.tokenize(w)) ids.push(id);
    }
    return options.addSpecialTokens === false ? ids : [...this.prefix, ...ids, ...this.suffix];
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      if (options.skipSpecialTokens && this.isSpecial(id)) continue;
      const t = this.idToToken(id);
      if (t === undefined)
        throw new RangeError(`decode: token id ${id} is outside the vocabulary (${this.vocabSize})`);
      tokens.push(t);
    }
    const { decoder } = this.parts;
    return decoder === undefined ? tokens.join("") : decoder(tokens).join("");
  }
}
