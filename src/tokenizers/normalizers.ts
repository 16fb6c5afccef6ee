// tokenizer.json normalizers: text → text before pre-tokenization (Hugging Face tokenizers'
// semantics for the types GPT-2, Llama, Mistral, Qwen2 and SmolLM files use).
import { type Spec, specList, specPattern, unsupported } from "./json-spec.js";
import { compileRustRegex } from "./rust-regex.js";

export type Normalizer = (text: string) => string;

export function buildNormalizer(spec: Spec | null | undefined): Normalizer | undefined {
  if (spec === null || spec === undefined) return undefined;
  switch (spec.type) {
    case "Sequence": {
      const parts = specList(spec, "normalizers")
        .map((s) => buildNormalizer(s))
        .filter((n) => n !== undefined);
      return (t) => parts.reduce((acc, n) => n(acc), t);
    }
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD": {
      const form = spec.type;
      return (t) => t.normalize(form);
    }
    case "Lowercase":
      return (t) => t.toLowerCase();
    case "Prepend": {
      // Like the Rust implementation: nothing is prepended to an empty string.
      const prefix = String(spec.prepend);
      return (t) => (t === "" ? t : prefix + t);
    }
    case "Replace": {
      const re = specPattern(spec, compileRustRegex);
      const content = String(spec.content);
      return (t) => t.replace(re, () => content);
    }
    case "Strip": {
      const left = spec.strip_left !== false;
      const right = spec.strip_right !== false;
      return (t) => (left && right ? t.trim() : left ? t.trimStart() : right ? t.trimEnd() : t);
    }
    default:
      throw unsupported("normalizer", spec);
  }
}
