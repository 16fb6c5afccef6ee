// scoreTokens() with text in: prompt and completion tokenized separately, ids concatenated.
import type { Tokenizer } from "../tokenizers/index.js";
import type { CausalLM } from "./causal-lm.js";
import { completionIds, type Prompt, promptIds } from "./prompt-ids.js";
import { type ScoreOptions, scoreTokens, type TokenScores } from "./score.js";

/** A prompt (text or chat messages) and a completion as text, tokenized separately. */
export interface TextScoreItem {
  prompt: Prompt;
  completion: string;
}

export interface TextScores extends TokenScores {
  promptIds: number[];
  completionIds: number[];
}

export function scoreText(
  model: CausalLM,
  tok: Tokenizer,
  items: readonly TextScoreItem[],
  opts: ScoreOptions & { chat?: boolean } = {},
): TextScores[] {
  const encoded = items.map((it) => ({
    prompt: promptIds(tok, it.prompt, opts.chat),
    completion: completionIds(tok, it.completion),
  }));
  return scoreTokens(model, encoded, opts).map((s, i) => ({
    ...s,
    promptIds: encoded[i]!.prompt,
    completionIds: encoded[i]!.completion,
  }));
}
