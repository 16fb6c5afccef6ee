// sim(y_i, y_j) inside the consistency rate, pluggable because the paper does not say which it used:
// ROUGE-L F1 (calign's default), exact match after normalisation, a threshold on ROUGE-L, or a model
// judge through any backend.
import { exactMatch } from "./normalize-answer.js";
import { type RougeOptions, resolveRougeOptions, rougeL } from "./rouge.js";
import { cachedRougeTokenizer } from "./tokenizers.js";

/** Similarity of two responses in [0, 1]; may be async (a model judge). */
export type Similarity = (a: string, b: string) => number | Promise<number>;

/**
 * ROUGE-L F1 between two responses. Equal token sequences count 1, including two responses with no
 * tokens at all, where ROUGE itself is 0/0: identical answers are perfectly consistent.
 */
export function rougeLSimilarity(options?: RougeOptions): (a: string, b: string) => number {
  const tokens = cachedRougeTokenizer(resolveRougeOptions(options));
  return (a, b) => {
    const ta = tokens(a);
    const tb = tokens(b);
    if (ta.length === tb.length && ta.every((t, i) => t === tb[i])) return 1;
    return rougeL(ta, tb).f1;
  };
}

/** 1 when the SuperNI-normalised responses are equal, else 0. */
export const exactMatchSimilarity: Similarity = (a, b) => (exactMatch(a, b) ? 1 : 0);

/** 1 when ROUGE-L similarity reaches the threshold, else 0. */
export function rougeLThresholdSimilarity(threshold: number, options?: RougeOptions): Similarity {
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
  const sim = rougeLSimilarity(options);
  return (a, b) => (sim(a, b) >= threshold ? 1 : 0);
}

/** Answers "do these two responses agree?" as a probability in [0, 1] or a yes/no. */
export type Judge = (a: string, b: string) => Promise<number | boolean>;

/**
 * A model judge as a similarity. By default it is asked in both orders and the answers averaged, since
 * judges favour one position and CR's pairs are unordered.
 */
export function judgeSimilarity(judge: Judge, { bothOrders = true } = {}): Similarity {
  const ask = async (a: string, b: string): Promise<number> => {
    const v = await judge(a, b);
    const p = typeof v === "boolean" ? Number(v) : v;
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`judge answered ${v}; expected a probability in [0, 1] or a boolean`);
    return p;
  };
  return async (a, b) => {
    if (!bothOrders) return ask(a, b);
    const [ab, ba] = await Promise.all([ask(a, b), ask(b, a)]);
    return (ab + ba) / 2;
  };
}

/**
 * The similarity with each (a, b) asked once: for a model judge, whose every answer is a forward pass,
 * when the same pairs are measured again (under a second quality, or per wording origin). Keys keep
 * the order of the pair, so no symmetry is assumed; the memo holds every pair asked, so use it for
 * costly similarities only (ROUGE is cheaper to recompute than to keep).
 */
export function memoSimilarity(sim: Similarity): Similarity {
  const memo = new Map<string, number | Promise<number>>();
  return (a, b) => {
    const key = JSON.stringify([a, b]);
    let s = memo.get(key);
    if (s === undefined) {
      s = sim(a, b);
      memo.set(key, s);
    }
    return s;
  };
}
