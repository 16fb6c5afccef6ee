// Training a byte-level BPE tokenizer on a text corpus, written as a Hugging Face tokenizer.json that
// tokenizerFromJson loads. Words come from the same pre-tokenizer the file declares (GPT-2's regex on
// byte-level text, digits optionally split one by one), so training and encoding split text alike.
// Merges are learned greedily by pair frequency over the word counts; ties go to the pair whose
// (left, right) strings sort first, so the same corpus always gives the same merges and ids.

import { BYTE_TO_CHAR } from "./byte-level.js";
import type { Spec } from "./json-spec.js";
import { buildPreTokenizer } from "./pre-tokenizers.js";

export interface BpeTrainOptions {
  /** Size of the whole vocabulary: special tokens, the 256 bytes and the learned merges. */
  vocabSize: number;
  /** Added special tokens, given ids 0, 1, ... in this order. */
  specialTokens: readonly string[];
  /** Each digit its own word (numbers then tokenize digit by digit, as SmolLM's tokenizer does). */
  splitDigits: boolean;
  /** A pair seen fewer times than this is never merged (default 2). */
  minFrequency?: number;
  /** The token the post-processor puts before every encoded text (none when undefined). */
  bosToken?: string;
}

export interface TrainedBpe {
  tokenizerJson: Spec;
  /** Each learned merge with how often its pair occurred when it was chosen. */
  merges: { pair: [string, string]; count: number }[];
}

const BYTE_LEVEL = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };

function preTokenizerSpec(splitDigits: boolean): Spec {
  if (!splitDigits) return BYTE_LEVEL;
  return { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, BYTE_LEVEL] };
}

/** Counts of every pre-tokenized (byte-level) word in the texts. */
function wordCounts(texts: Iterable<string>, preTokenizer: Spec): Map<string, number> {
  const split = buildPreTokenizer(preTokenizer)!;
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const w of split([text], true)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

// Byte-level characters never include a space (0x20 maps to "Ġ"), so "a b" names a pair unambiguously,
// and comparing these keys as strings compares (left, right) in order.
const keyOf = (a: string, b: string) => `${a} ${b}`;

interface Word {
  symbols: string[];
  count: number;
}

/** Learns merges until the vocabulary is full or no pair is frequent enough. */
function learnMerges(counts: Map<string, number>, room: number, minFrequency: number) {
  const words: Word[] = [...counts].map(([w, count]) => ({ symbols: [...w], count }));
  const pairCounts = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const addPairs = (i: number, sign: 1 | -1) => {
    const { symbols, count } = words[i]!;
    for (let j = 0; j + 1 < symbols.length; j++) {
      const key = keyOf(symbols[j]!, symbols[j + 1]!);
      const n = (pairCounts.get(key) ?? 0) + sign * count;
      if (n === 0) pairCounts.delete(key);
      else pairCounts.set(key, n);
      if (sign > 0) {
        const set = pairWords.get(key);
        if (set === undefined) pairWords.set(key, new Set([i]));
        else set.add(i);
      }
    }
  };
  for (let i = 0; i < words.length; i++) addPairs(i, 1);
  const merges: { pair: [string, string]; count: number }[] = [];
  while (merges.length < room) {
    let best: string | undefined;
    let bestCount = 0;
    for (const [key, n] of pairCounts) {
      if (n > bestCount || (n === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best === undefined || bestCount < minFrequency) break;
    const [a, b] = best.split(" ") as [string, string];
    merges.push({ pair: [a, b], count: bestCount });
    // Only words that held the pair change (the set may name words that lost it to an earlier merge).
    for (const i of pairWords.get(best) ?? []) {
      const w = words[i]!;
      addPairs(i, -1);
      const out: string[] = [];
      for (let j = 0; j < w.symbols.length; j++) {
        if (w.symbols[j] === a && w.symbols[j + 1] === b) {
          out.push(a + b);
          j++;
        } else out.push(w.symbols[j]!);
      }
      w.symbols = out;
      addPairs(i, 1);
    }
    pairWords.delete(best);
  }
  return merges;
}

export function trainBpe(texts: Iterable<string>, o: BpeTrainOptions): TrainedBpe {
  const base = o.specialTokens.length + BYTE_TO_CHAR.length;
  if (o.vocabSize < base)
    throw new RangeError(`trainBpe: vocabSize ${o.vocabSize} is below the ${base} special and byte tokens`);
  if (o.bosToken !== undefined && !o.specialTokens.includes(o.bosToken))
    throw new Error(`trainBpe: bosToken ${JSON.stringify(o.bosToken)} is not one of the special tokens`);
  const preTokenizer = preTokenizerSpec(o.splitDigits);
  const merges = learnMerges(wordCounts(texts, preTokenizer), o.vocabSize - base, o.minFrequency ?? 2);
  // A merge can spell an existing token (e.g. a special token's text): it keeps that token's id.
  const ids = new Map<string, number>();
  for (const t of [...o.specialTokens, ...BYTE_TO_CHAR, ...merges.map((m) => m.pair.join(""))])
    if (!ids.has(t)) ids.set(t, ids.size);
  const vocab = Object.fromEntries(ids);
  const addedTokens = o.specialTokens.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const bos = o.bosToken;
  const postProcessor =
    bos === undefined
      ? null
      : {
          type: "TemplateProcessing",
          single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
          pair: [
            { SpecialToken: { id: bos, type_id: 0 } },
            { Sequence: { id: "A", type_id: 0 } },
            { SpecialToken: { id: bos, type_id: 1 } },
            { Sequence: { id: "B", type_id: 1 } },
          ],
          special_tokens: { [bos]: { id: bos, ids: [ids.get(bos)], tokens: [bos] } },
        };
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: postProcessor,
    decoder: { ...BYTE_LEVEL },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map((m) => m.pair),
    },
  };
  return { tokenizerJson, merges };
}
