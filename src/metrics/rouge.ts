// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum as Google's `rouge-score` computes them (Lin 2004; union-LCS
// with per-token counts as ROUGE-1.5.5), argument order (target, prediction), and the max over several
// references as the Super-NaturalInstructions scorer takes it.
import { lcsIndices, lcsLength } from "./lcs.js";
import { type RougeTokenizeOptions, type RougeTokenizerName, rougeTokenize } from "./tokenizers.js";

export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export const ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"] as const;
export type RougeType = (typeof ROUGE_TYPES)[number];
export type RougeScores = Record<RougeType, RougeScore>;

export interface RougeOptions {
  /** Porter stemming of tokens longer than 3 characters; default true (as the SuperNI scorer). */
  stem?: boolean;
  /** "default" is rouge-score's tokenizer; "unicode" keeps non-ASCII words. Default "default". */
  tokenizer?: RougeTokenizerName;
  /** Longest text scored, in tokens; default DEFAULT_ROUGE_MAX_TOKENS. */
  maxTokens?: number;
}

/**
 * ROUGE-L's time grows with the product of the two texts' lengths (a pair of 30k-token texts takes
 * about 10 s on one core), so longer texts are refused before any work rather than left to run for
 * minutes. Memory stays linear in the lengths (see lcs.ts).
 */
export const DEFAULT_ROUGE_MAX_TOKENS = 50_000;

export class RougeLengthError extends RangeError {
  override name = "RougeLengthError";
  /** The message without the side. */
  readonly reason: string;
  constructor(
    readonly side: "target" | "prediction",
    readonly tokens: number,
    readonly limit: number,
  ) {
    const reason = `${tokens} tokens, over the limit of ${limit} (ROUGE-L's time grows with the product of the two lengths)`;
    super(`${side}: ${reason}`);
    this.reason = reason;
  }
}

export function resolveRougeOptions(options: RougeOptions = {}): RougeTokenizeOptions {
  return { stem: options.stem ?? true, tokenizer: options.tokenizer ?? "default" };
}

const ZERO: RougeScore = Object.freeze({ precision: 0, recall: 0, f1: 0 });

/** rouge-score `scoring.fmeasure`, with its operation order so results agree to the bit. */
export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function score(precision: number, recall: number): RougeScore {
  return { precision, recall, f1: fmeasure(precision, recall) };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // Tokens never contain a space, so joining with one is a safe n-gram key.
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N from clipped n-gram counts. */
export function rougeN(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const t = ngramCounts(target, n);
  const p = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [gram, count] of t) overlap += Math.min(count, p.get(gram) ?? 0);
  const targetCount = Math.max(target.length - n + 1, 0);
  const predictionCount = Math.max(prediction.length - n + 1, 0);
  return score(overlap / Math.max(predictionCount, 1), overlap / Math.max(targetCount, 1));
}

/** Maps tokens to small integers so the LCS loops compare numbers. */
class Interner {
  private readonly ids = new Map<string, number>();
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, i) => {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(token, id);
      }
      out[i] = id;
    });
    return out;
  }
}

/** ROUGE-L: LCS length over prediction length (precision) and target length (recall). */
export function rougeL(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { ...ZERO };
  const interner = new Interner();
  const lcs = lcsLength(interner.encode(target), interner.encode(prediction));
  return score(lcs / prediction.length, lcs / target.length);
}

function count(into: Map<string, number>, tokens: readonly string[]): void {
  for (const token of tokens) into.set(token, (into.get(token) ?? 0) + 1);
}

/**
 * ROUGE-Lsum: for each target sentence, the union of its LCS with every prediction sentence; a token is a
 * hit only while unused copies remain on both sides (ROUGE-1.5.5's guard against double counting).
 */
export function rougeLsum(target: readonly string[][], prediction: readonly string[][]): RougeScore {
  const m = target.reduce((sum, s) => sum + s.length, 0);
  const n = prediction.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return { ...ZERO };
  const left = { target: new Map<string, number>(), prediction: new Map<string, number>() };
  for (const s of target) count(left.target, s);
  for (const s of prediction) count(left.prediction, s);
  const interner = new Interner();
  const predictionIds = prediction.map((s) => interner.encode(s));
  let hits = 0;
  for (const sentence of target) {
    const ids = interner.encode(sentence);
    const union = new Set<number>();
    for (const p of predictionIds) for (const i of lcsIndices(ids, p)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const token = sentence[i]!;
      const t = left.target.get(token) ?? 0;
      const c = left.prediction.get(token) ?? 0;
      if (t > 0 && c > 0) {
        hits++;
        left.target.set(token, t - 1);
        left.prediction.set(token, c - 1);
      }
    }
  }
  return score(hits / n, hits / m);
}

/** rouge-score splits summaries into sentences on newlines and drops empty ones. */
function sentences(text: string, options: RougeTokenizeOptions): string[][] {
  return text
    .split("\n")
    .filter((s) => s.length > 0)
    .map((s) => rougeTokenize(s, options));
}

/** All four ROUGE types of prediction against target (rouge-score's `score(target, prediction)`). */
export function rouge(target: string, prediction: string, options?: RougeOptions): RougeScores {
  const opts = resolveRougeOptions(options);
  const t = rougeTokenize(target, opts);
  const p = rougeTokenize(prediction, opts);
  const limit = options?.maxTokens ?? DEFAULT_ROUGE_MAX_TOKENS;
  if (t.length > limit) throw new RougeLengthError("target", t.length, limit);
  if (p.length > limit) throw new RougeLengthError("prediction", p.length, limit);
  return {
    rouge1: rougeN(t, p, 1),
    rouge2: rougeN(t, p, 2),
    rougeL: rougeL(t, p),
    rougeLsum: rougeLsum(sentences(target, opts), sentences(prediction, opts)),
  };
}

/**
 * Against several references, per type the score of the reference with the highest F1 (the first on
 * ties), as rouge-score's `score_multi`; its F1 is the SuperNI scorer's max over ground truths.
 */
export function rougeMax(
  targets: readonly string[],
  prediction: string,
  options?: RougeOptions,
): RougeScores {
  if (targets.length === 0) throw new RangeError("rougeMax needs at least one target");
  const all = targets.map((t) => rouge(t, prediction, options));
  const best = { ...all[0]! };
  for (const type of ROUGE_TYPES) {
    for (const scores of all) if (scores[type].f1 > best[type].f1) best[type] = scores[type];
  }
  return best;
}
