// TRL's "implicit prompt" preference form: no "prompt" field, chosen and rejected are whole texts or
// conversations sharing their beginning. The shared beginning is the prompt, as TRL's extract_prompt
// takes it: for conversations the common leading messages; for strings the common leading
// characters, moved back before a space that ends them (so " blue" stays with its completion).
import { DataError, type Location } from "../data/index.js";
import type { ChatMessage } from "../tokenizers/index.js";

export interface SplitPair {
  prompt: string | ChatMessage[];
  chosen: string | ChatMessage[];
  rejected: string | ChatMessage[];
}

const sameMessage = (a: ChatMessage, b: ChatMessage) => a.role === b.role && a.content === b.content;

export function splitImplicitPrompt(
  chosen: string | ChatMessage[],
  rejected: string | ChatMessage[],
  at: Location,
): SplitPair {
  if (typeof chosen !== typeof rejected)
    throw new DataError(
      at,
      "rejected",
      "must be the same kind as chosen (both strings or both message lists)",
    );
  const same =
    typeof chosen === "string"
      ? (i: number) => chosen[i] === rejected[i]
      : (i: number) => sameMessage(chosen[i] as ChatMessage, rejected[i] as ChatMessage);
  const shorter = Math.min(chosen.length, rejected.length);
  let n = 0;
  while (n < shorter && same(n)) n++;
  if (n === chosen.length && n === rejected.length)
    throw new DataError(at, "rejected", "is identical to chosen: nothing to prefer");
  // Both completions keep at least one character or message.
  n = Math.min(n, shorter - 1);
  if (typeof chosen === "string" && n > 0 && chosen[n - 1] === " ") n--;
  return { prompt: chosen.slice(0, n), chosen: chosen.slice(n), rejected: rejected.slice(n) };
}
