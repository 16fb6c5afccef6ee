// The offline rule-based paraphraser (`calign augment`'s "rules" source): deterministic, seeded rewrites
// of an instruction with no model. Constraint-carrying spans ({input}, quoted terms, numbers, answer
// formats such as "yes or no") are masked before any word is touched, so every rewrite asks for the
// same answer; the rules are synonym substitution, answer-format rewording, question <-> imperative,
// polite forms, and moving a standalone {input} block before or after the instruction.

import { rouge } from "../metrics/rouge.js";
import { createRng, type Rng } from "../util/random.js";
import { INPUT_PLACEHOLDER } from "./instance-prompt.js";
import {
  FORMAT_PHRASES,
  FRAMES,
  IMPERATIVE_VERBS,
  PROTECTED_PHRASES,
  SYNONYMS,
} from "./paraphrase-synonyms.js";

/** Rewrites at least this far from the input and from each other (ROUGE-L F1 below the augment
 * stage's default near-duplicate threshold), so they survive its filter. */
const MAX_SIMILARITY = 0.9;
const ATTEMPTS_PER_OUTPUT = 25;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const phraseRegex = (phrases: readonly string[]) =>
  new RegExp(
    `\\b(${[...phrases]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegex)
      .join("|")})\\b`,
    "gi",
  );

/** Keeps the capital of a replaced phrase's first letter. */
function matchCase(replacement: string, original: string): string {
  return /^[A-Z]/.test(original) ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement;
}

/** Replaces each phrase of `groups` found in text, with probability p, by another member of its group. */
function substitute(text: string, groups: readonly (readonly string[])[], rng: Rng, p: number): string {
  const groupOf = new Map<string, readonly string[]>();
  for (const g of groups) for (const phrase of g) groupOf.set(phrase, g);
  return text.replace(phraseRegex([...groupOf.keys()]), (found) => {
    const group = groupOf.get(found.toLowerCase())!;
    if (rng.next() >= p) return found;
    const others = group.filter((x) => x !== found.toLowerCase());
    return matchCase(others[rng.int(others.length)]!, found);
  });
}

// Masked spans become \uE000<n>\uE001 (private-use marks around an index): no letters and no sentence
// punctuation, so no rule can alter them.
const MASK = /\uE000(\d+)\uE001/g;
const PROTECTED = new RegExp(
  [
    escapeRegex(INPUT_PLACEHOLDER),
    `"[^"]*"`,
    `'[^']+'(?=[\\s.,;:?!]|$)`,
    "“[^”]*”",
    "\\d+(?:\\.\\d+)?",
    phraseRegex(PROTECTED_PHRASES).source,
  ].join("|"),
  "gi",
);

function mask(text: string): { masked: string; spans: string[] } {
  const spans: string[] = [];
  const masked = text.replace(PROTECTED, (span) => `\uE000${spans.push(span) - 1}\uE001`);
  return { masked, spans };
}

const unmask = (text: string, spans: readonly string[]) => text.replace(MASK, (_, i) => spans[Number(i)]!);

/** Sentences and the separators between them, so text can be rebuilt exactly. */
function sentences(text: string): string[] {
  return text.split(/(\n+|(?<=[.?!])[ \t]+)/);
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const firstWord = (s: string) => (s.match(/^[A-Za-z]+/)?.[0] ?? "").toLowerCase();

const isImperative = (s: string) => /\.$/.test(s) && IMPERATIVE_VERBS.has(firstWord(s));

/** The verb form after a singular subject: "appear" -> "appears", "have" -> "has". */
function thirdPerson(verb: string): string {
  if (verb === "have") return "has";
  if (/(s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

const tellMe = (rng: Rng) => (rng.next() < 0.5 ? "Tell me" : "Say");

/** Question -> command for the shapes where the swap is grammatical without parsing, and back. */
function toggleMood(s: string, rng: Rng): string {
  let m = s.match(/^What is (the .+|\uE000\d+\uE001)\?$/);
  // "What is the X?" becomes "Tell me what the X is." or, half the time, "Give the X." below.
  if (m && !m[1]!.includes(",") && (!m[1]!.startsWith("the ") || rng.next() < 0.5))
    return `${tellMe(rng)} what ${m[1]} is.`;
  m = s.match(/^What is the (.+)\?$/);
  if (m) return `${rng.next() < 0.5 ? "Give" : "State"} the ${m[1]}.`;
  m = s.match(/^(?:Give|State|Write|Return|Output|Provide|Name) the (.+)\.$/);
  if (m) return `What is the ${m[1]}?`;
  m = s.match(/^How many (\w+) are (?:in|there in) (.+)\?$/);
  if (m) return `Count the ${m[1]} in ${m[2]}.`;
  m = s.match(/^Count the (\w+) in (.+)\.$/);
  if (m) return `How many ${m[1]} are in ${m[2]}?`;
  // "Which letter does this word start with?" -> "Tell me which letter this word starts with."
  m = s.match(/^(How many \w+|How often|Which \w+|What \w+) does ((?:the|this|that|each) \w+) (\w+)(.*)\?$/);
  if (m) return `${tellMe(rng)} ${lowerFirst(m[1]!)} ${m[2]} ${thirdPerson(m[3]!)}${m[4]}.`;
  // "Does any of these words belong to X?" -> "Tell me whether any of these words belongs to X."
  m = s.match(
    /^(Does|Do) ((?:the|this|that|these|all|any|each)(?: of (?:the|these))?(?: two)? \w+) (\w+)(.*)\?$/,
  );
  if (m) {
    const verb = m[1] === "Does" ? thirdPerson(m[3]!) : m[3];
    return `${rng.next() < 0.5 ? "Tell me whether" : "Say whether"} ${m[2]} ${verb}${m[4]}.`;
  }
  // "Is this bracket sequence balanced?" -> "Tell me whether this bracket sequence is balanced."
  m = s.match(/^(Is|Are) ((?:the|this|these|that|all|any)(?: \w+){1,4}?) (\w+)\?$/);
  if (m)
    return `${rng.next() < 0.5 ? "Tell me whether" : "Say whether"} ${m[2]} ${m[1]!.toLowerCase()} ${m[3]}.`;
  // Subject questions ("Which word has ...?") embed as they are; others would need inversion.
  m = s.match(/^(Which|What) (.+)\?$/);
  if (m && !/\b(do|does|did|is|are|would)\b/.test(m[2]!.split(" ").slice(0, 3).join(" ")))
    return `${tellMe(rng)} ${lowerFirst(s).slice(0, -1)}.`;
  m = s.match(/^(?:Tell me|Say) ((?:which|what) .+)\.$/);
  if (m) return `${upperFirst(m[1]!)}?`;
  return s;
}

/** Adds a neutral frame before the first sentence, or removes one. */
function toggleFrame(s: string, rng: Rng): string {
  for (const frame of FRAMES) if (s.startsWith(`${frame} `)) return upperFirst(s.slice(frame.length + 1));
  return `${FRAMES[rng.int(FRAMES.length)]} ${s}`;
}

/** "Find X." <-> "Please find X." / "Could you find X?" */
function togglePolite(s: string, rng: Rng): string {
  let m = s.match(/^(?:Please|Kindly) (.+)$/);
  if (m) return upperFirst(m[1]!);
  m = s.match(/^(?:Could|Can|Would) you (?:please )?(.+)\?$/);
  if (m && IMPERATIVE_VERBS.has(firstWord(m[1]!))) return `${upperFirst(m[1]!)}.`;
  if (!isImperative(s)) return s;
  const body = lowerFirst(s).slice(0, -1);
  const forms = [`Please ${body}.`, `Could you ${body}?`, `Can you please ${body}?`, `Kindly ${body}.`];
  return forms[rng.int(forms.length)]!;
}

/** A standalone {input} block moves from the end to the start or back. */
function reorder(text: string, inputMask: string | undefined): string {
  if (inputMask === undefined) return text;
  if (text.startsWith(`${inputMask}\n`)) return `${text.slice(inputMask.length).trim()}\n\n${inputMask}`;
  const tail = text.match(/\n+(\S+)$/);
  if (tail && tail[1] === inputMask) return `${inputMask}\n\n${text.slice(0, tail.index).trim()}`;
  return text;
}

/** One candidate rewrite: each rule fires with some probability. */
function rewrite(instruction: string, rng: Rng): string {
  const formatted = substitute(instruction, FORMAT_PHRASES, rng, 0.7);
  const { masked, spans } = mask(formatted);
  const inputMask = spans.includes(INPUT_PLACEHOLDER)
    ? `\uE000${spans.indexOf(INPUT_PLACEHOLDER)}\uE001`
    : undefined;
  const framed = rng.next() < 0.2;
  let firstSentence = true;
  const parts = sentences(masked).map((part, i) => {
    if (i % 2 === 1 || part.trim() === "" || part === inputMask) return part;
    // Mood first: its patterns expect the instruction's own wording.
    let s = rng.next() < 0.5 ? toggleMood(part, rng) : part;
    s = substitute(s, SYNONYMS, rng, 0.6);
    if (rng.next() < 0.5) s = togglePolite(s, rng);
    if (framed && firstSentence) s = toggleFrame(s, rng);
    firstSentence = false;
    return s;
  });
  let text = parts.join("");
  if (rng.next() < 0.4) text = reorder(text, inputMask);
  // Spacing is tidied before unmasking so quoted terms keep theirs.
  return unmask(text.replace(/[ \t]+/g, " ").trim(), spans);
}

const differsEnough = (a: string, b: string) => a !== b && rouge(a, b).rougeL.f1 < MAX_SIMILARITY;

/**
 * Up to n distinct rewrites of `instruction`, the same for the same (instruction, n, seed). Each keeps
 * the instruction's constraint spans verbatim and differs from the input and from the other rewrites
 * by a ROUGE-L F1 below 0.9; fewer than n come back when the rules cannot find that many.
 */
export function paraphrase(instruction: string, n: number, seed: number): string[] {
  const rng = createRng(seed);
  const out: string[] = [];
  for (let attempt = 0; out.length < n && attempt < n * ATTEMPTS_PER_OUTPUT; attempt++) {
    const candidate = rewrite(instruction, rng);
    if ([instruction, ...out].every((other) => differsEnough(other, candidate))) out.push(candidate);
  }
  return out;
}
