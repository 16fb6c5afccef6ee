// Added tokens (special ones like <s> or <|endoftext|>, and user-added ones) are split out of the
// text before normalization and BPE, longest match first at the earliest position, as Hugging Face
// tokenizers' AddedVocabulary does. lstrip/rstrip swallow neighbouring whitespace; single_word
// requires word boundaries. Matching is on the raw text for all added tokens.
import { escapeRegExp } from "./json-spec.js";

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  singleWord?: boolean;
}

export type Segment = { text: string; start: number } | { id: number };

const WORD_CHAR = /[\p{L}\p{N}_]/u;

export class AddedTokenSplitter {
  private readonly pattern: RegExp | undefined;
  private readonly byContent: Map<string, AddedToken>;

  constructor(tokens: readonly AddedToken[]) {
    this.byContent = new Map(tokens.filter((t) => t.content !== "").map((t) => [t.content, t]));
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length === 0 ? undefined : new RegExp(contents.map(escapeRegExp).join("|"), "gu");
  }

  split(text: string): Segment[] {
    if (this.pattern === undefined) return text === "" ? [] : [{ text, start: 0 }];
    const out: Segment[] = [];
    let last = 0;
    for (const m of text.matchAll(this.pattern)) {
      const token = this.byContent.get(m[0])!;
      let start = m.index;
      let end = start + m[0].length;
      if (start < last) continue;
      if (token.singleWord && (WORD_CHAR.test(text[start - 1] ?? "") || WORD_CHAR.test(text[end] ?? "")))
        continue;
      if (token.lstrip) while (start > last && /\s/u.test(text[start - 1]!)) start--;
      if (token.rstrip) while (end < text.length && /\s/u.test(text[end]!)) end++;
      if (start > last) out.push({ text: text.slice(last, start), start: last });
      out.push({ id: token.id });
      last = end;
    }
    if (last < text.length) out.push({ text: text.slice(last), start: last });
    return out;
  }
}
