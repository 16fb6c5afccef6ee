// tokenizer.json and llama.cpp patterns are written for Rust's regex engines (onig, fancy-regex).
// Two constructs differ in JavaScript: inline case-insensitive groups `(?i:...)` (unsupported in
// Node 20) and `\s`, which in Rust means Unicode White_Space (includes U+0085, excludes U+FEFF,
// unlike JavaScript's \s). This rewrites both and compiles a global Unicode RegExp.

const WHITE_SPACE = "\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

export function compileRustRegex(pattern: string): RegExp {
  let out = "";
  let inClass = false;
  let ciDepth = 0; // > 0 inside a (?i:...) group: number of open parentheses within it, plus one
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const n = pattern[i + 1];
      i++;
      if (n === "s") out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (n === "S") {
        if (inClass)
          throw new Error(`compileRustRegex: \\S inside a character class is not supported: ${pattern}`);
        out += `[^${WHITE_SPACE}]`;
      } else out += `\\${n ?? ""}`;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (ciDepth > 0 && /[a-z]/i.test(c))
        throw new Error(`compileRustRegex: letters in a class inside (?i:) are not supported: ${pattern}`);
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") out += pattern[++i];
      if (pattern[i + 1] === "]") out += pattern[++i]; // a leading ] is literal
      continue;
    }
    if (c === "(" && pattern.startsWith("(?i:", i)) {
      if (ciDepth > 0) throw new Error(`compileRustRegex: nested (?i:) groups are not supported: ${pattern}`);
      ciDepth = 1;
      out += "(?:";
      i += 3;
      continue;
    }
    if (ciDepth > 0) {
      if (c === "(") ciDepth++;
      else if (c === ")") ciDepth--;
      if (/[a-z]/i.test(c)) {
        out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
        continue;
      }
    }
    out += c;
  }
  return new RegExp(out, "gu");
}

/** GPT-2's pre-tokenizer pattern (also the one HF's ByteLevel pre-tokenizer uses). */
export const GPT2_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
/** Llama 3's pattern (tokenizer.json Split, llama.cpp "llama-bpe"). */
export const LLAMA3_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/** Qwen2's pattern: Llama 3's with single digits. */
export const QWEN2_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
