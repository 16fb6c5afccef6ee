// tokenizer.json decoders: token strings → text, each step mapping a list of strings to another,
// as Hugging Face tokenizers' decode_chain does.
import { CHAR_TO_BYTE } from "./byte-level.js";
import { type Spec, specList, specPattern, unsupported } from "./json-spec.js";
import { compileRustRegex } from "./rust-regex.js";

export type Decoder = (tokens: string[]) => string[];

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** GPT-2 characters back to bytes; a token with a character outside the map keeps its own UTF-8. */
export function decodeByteLevel(tokens: string[]): string {
  const bytes: number[] = [];
  for (const t of tokens) {
    const mapped = [...t].map((c) => CHAR_TO_BYTE.get(c));
    if (mapped.every((b) => b !== undefined)) bytes.push(...(mapped as number[]));
    else bytes.push(...Buffer.from(t, "utf8"));
  }
  return utf8.decode(Uint8Array.from(bytes));
}

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** Runs of <0xXX> tokens become their UTF-8 text, or one U+FFFD per byte when not valid UTF-8. */
function byteFallback(tokens: string[]): string[] {
  const out: string[] = [];
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    try {
      out.push(strictUtf8.decode(Uint8Array.from(bytes)));
    } catch {
      for (const _ of bytes) out.push("\uFFFD");
    }
    bytes = [];
  };
  for (const t of tokens) {
    const m = BYTE_TOKEN.exec(t);
    if (m === null) {
      flush();
      out.push(t);
    } else bytes.push(Number.parseInt(m[1]!, 16));
  }
  flush();
  return out;
}

function strip(token: string, content: string, start: number, stop: number): string {
  const chars = [...token];
  let a = 0;
  while (a < start && a < chars.length && chars[a] === content) a++;
  let b = chars.length;
  while (chars.length - b < stop && b > a && chars[b - 1] === content) b--;
  return chars.slice(a, b).join("");
}

export function buildDecoder(spec: Spec | null | undefined): Decoder | undefined {
  if (spec === null || spec === undefined) return undefined;
  switch (spec.type) {
    case "Sequence": {
      const parts = specList(spec, "decoders").map((s) => buildDecoder(s)!);
      return (tokens) => parts.reduce((acc, d) => d(acc), tokens);
    }
    case "ByteLevel":
      return (tokens) => [decodeByteLevel(tokens)];
    case "ByteFallback":
      return byteFallback;
    case "Fuse":
      return (tokens) => [tokens.join("")];
    case "Replace": {
      const re = specPattern(spec, compileRustRegex);
      const content = String(spec.content);
      return (tokens) => tokens.map((t) => t.replace(re, () => content));
    }
    case "Strip": {
      const content = String(spec.content);
      const start = Number(spec.start ?? 0);
      const stop = Number(spec.stop ?? 0);
      return (tokens) => tokens.map((t) => strip(t, content, start, stop));
    }
    case "Metaspace": {
      const rep = String(spec.replacement ?? "▁");
      const scheme = String(spec.prepend_scheme ?? (spec.add_prefix_space === false ? "never" : "always"));
      // As in the Rust implementation, the first token loses its replacement characters entirely.
      return (tokens) => tokens.map((t, i) => t.replaceAll(rep, i === 0 && scheme !== "never" ? "" : " "));
    }
    default:
      throw unsupported("decoder", spec);
  }
}
