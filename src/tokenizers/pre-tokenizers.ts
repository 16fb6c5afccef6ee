// tokenizer.json pre-tokenizers: split normalized text into words that BPE encodes separately.
// `atStart` tells whether the text begins the input (Metaspace's prepend_scheme "first").
import { toByteLevel } from "./byte-level.js";
import { type Spec, specList, specPattern, unsupported } from "./json-spec.js";
import { compileRustRegex, GPT2_PATTERN } from "./rust-regex.js";

export type PreTokenizer = (words: string[], atStart: boolean) => string[];

type Behavior = "Isolated" | "Removed" | "MergedWithPrevious" | "MergedWithNext";

/** Splits on every match of `re`, keeping, dropping or attaching the matches per `behavior`. */
export function splitBy(text: string, re: RegExp, behavior: Behavior): string[] {
  const out: string[] = [];
  let last = 0;
  let pendingPrefix = "";
  for (const m of text.matchAll(re)) {
    if (m[0] === "") continue;
    const before = text.slice(last, m.index);
    last = m.index + m[0].length;
    if (behavior === "MergedWithPrevious") {
      out.push(pendingPrefix + before + m[0]);
      pendingPrefix = "";
    } else if (behavior === "MergedWithNext") {
      if (pendingPrefix + before !== "") out.push(pendingPrefix + before);
      pendingPrefix = m[0];
    } else {
      if (before !== "") out.push(before);
      if (behavior === "Isolated") out.push(m[0]);
    }
  }
  const rest = pendingPrefix + text.slice(last);
  if (rest !== "") out.push(rest);
  return out.filter((w) => w !== "");
}

const gpt2 = compileRustRegex(GPT2_PATTERN);

export function buildPreTokenizer(spec: Spec | null | undefined): PreTokenizer | undefined {
  if (spec === null || spec === undefined) return undefined;
  switch (spec.type) {
    case "Sequence": {
      const parts = specList(spec, "pretokenizers").map((s) => buildPreTokenizer(s)!);
      return (words, atStart) => parts.reduce((acc, p) => p(acc, atStart), words);
    }
    case "ByteLevel": {
      const prefix = spec.add_prefix_space === true;
      const useRegex = spec.use_regex !== false;
      return (words) =>
        words.flatMap((w) => {
          const text = prefix && !w.startsWith(" ") ? ` ${w}` : w;
          return (useRegex ? splitBy(text, gpt2, "Isolated") : [text]).map(toByteLevel);
        });
    }
    case "Split": {
      if (spec.invert === true) throw new Error("tokenizer.json: Split with invert=true is not supported");
      const behavior = String(spec.behavior) as Behavior;
      if (!["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext"].includes(behavior))
        throw unsupported("Split behavior", { type: behavior });
      const re = specPattern(spec, compileRustRegex);
      return (words) => words.flatMap((w) => splitBy(w, re, behavior));
    }
    case "Digits": {
      const re = spec.individual_digits === true ? /\p{Nd}/gu : /\p{Nd}+/gu;
      return (words) => words.flatMap((w) => splitBy(w, re, "Isolated"));
    }
    case "Metaspace": {
      const rep = String(spec.replacement ?? "▁");
      // Older files say add_prefix_space; newer ones prepend_scheme ("always", "first", "never").
      const scheme = String(spec.prepend_scheme ?? (spec.add_prefix_space === false ? "never" : "always"));
      const split = spec.split !== false;
      const re = new RegExp(rep, "gu");
      return (words, atStart) =>
        words.flatMap((w) => {
          let t = w.replaceAll(" ", rep);
          if (!t.startsWith(rep) && (scheme === "always" || (scheme === "first" && atStart))) t = rep + t;
          return split ? splitBy(t, re, "MergedWithNext") : [t];
        });
    }
    default:
      throw unsupported("pre_tokenizer", spec);
  }
}
