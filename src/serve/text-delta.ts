// Streaming text of one choice: each new token adds the text that is now certain. Text that could
// still turn out to be the start of a stop string is held back, and so is a half-decoded UTF-8
// character (U+FFFD at the end), so the streamed pieces always join to the final text.
import { cutAtStop } from "../models/cut-at-stop.js";
import type { Tokenizer } from "../tokenizers/index.js";

export class TextDelta {
  private readonly tokens: number[] = [];
  private sent = "";
  private readonly holdBack: number;

  constructor(
    private readonly tok: Tokenizer,
    private readonly stops: readonly string[],
  ) {
    this.holdBack = Math.max(0, ...stops.map((s) => s.length - 1));
  }

  /** The new certain text after one more token ("" when none). */
  push(id: number): string {
    this.tokens.push(id);
    const full = this.text();
    const cut = cutAtStop(full, this.stops);
    const safe = cut.length < full.length ? cut : full.slice(0, Math.max(0, full.length - this.holdBack));
    return this.advance(safe.endsWith("\uFFFD") ? this.sent : safe);
  }

  /** What is left once generation has ended. */
  finish(): string {
    return this.advance(cutAtStop(this.text(), this.stops));
  }

  private text(): string {
    return this.tok.decode(this.tokens, { skipSpecialTokens: true });
  }

  private advance(safe: string): string {
    if (safe.length <= this.sent.length || !safe.startsWith(this.sent)) return "";
    const delta = safe.slice(this.sent.length);
    this.sent = safe;
    return delta;
  }
}
