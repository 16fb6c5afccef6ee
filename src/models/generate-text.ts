// generate() with text in and out: prompts tokenized (optionally through the chat template),
// generated ids decoded without special tokens and cut before the first stop string.
import type { Tokenizer } from "../tokenizers/index.js";
import type { CausalLM } from "./causal-lm.js";
import { cutAtStop } from "./cut-at-stop.js";
import { type FinishReason, type GenerateOptions, generate } from "./generate.js";
import { type Prompt, promptIds } from "./prompt-ids.js";

export interface TextGenerateOptions extends Omit<GenerateOptions, "decode"> {
  /** Wrap plain-string prompts as a user message through the chat template (default false). */
  chat?: boolean;
}

export interface TextGeneration {
  text: string;
  /** Generated token ids (EOS excluded; tokens of a stop string included). */
  tokens: number[];
  promptTokens: number;
  finishReason: FinishReason;
}

export function generateText(
  model: CausalLM,
  tok: Tokenizer,
  prompts: readonly Prompt[],
  opts: TextGenerateOptions = {},
): TextGeneration[] {
  return generateTextFromIds(
    model,
    tok,
    prompts.map((p) => promptIds(tok, p, opts.chat)),
    opts,
  );
}

/** generateText for prompts already tokenized (e.g. fitted into the context by fitPrompt). */
export function generateTextFromIds(
  model: CausalLM,
  tok: Tokenizer,
  ids: readonly (readonly number[])[],
  opts: Omit<TextGenerateOptions, "chat"> = {},
): TextGeneration[] {
  const decode = (t: number[]) => tok.decode(t, { skipSpecialTokens: true });
  const eos = opts.eosTokenIds ?? (model.eosTokenIds.length > 0 ? model.eosTokenIds : [tok.eosId ?? -1]);
  return generate(model, ids, { ...opts, eosTokenIds: eos, decode }).map((g, i) => ({
    text: cutAtStop(decode(g.tokens), opts.stopStrings ?? []),
    tokens: g.tokens,
    promptTokens: ids[i]!.length,
    finishReason: g.finishReason,
  }));
}
