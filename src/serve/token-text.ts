// Token ids as the text pieces OpenAI-style log-prob fields list (special tokens written out).
import type { Tokenizer } from "../tokenizers/index.js";

export function tokenText(tok: Tokenizer, id: number): string {
  return tok.decode([id]);
}
