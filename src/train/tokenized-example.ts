// Training examples as token ids: a prompt and a completion tokenized separately (never the joined
// text re-tokenized), with where they came from for error messages.
import type { Location } from "../data/index.js";

export interface TokenizedExample {
  prompt: number[];
  completion: number[];
  /** 1 where a completion token counts in the loss; all count when absent (packing masks prompts). */
  completionMask?: number[];
  at: Location;
}

export interface TruncationCounts {
  /** Examples whose completion was cut to fit max length. */
  truncated: number;
  total: number;
}
