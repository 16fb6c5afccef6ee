// Byte-pair encoding of one pre-tokenized word. Symbols start as the word's characters and the
// lowest-ranked adjacent pair is merged until none is mergeable (ties: leftmost first), as in
// Hugging Face tokenizers' BPE and llama.cpp. Ranks come from either
// - a merges list (GPT-2, Llama 3, tokenizer.json): rank = position of "a b" in the list, or
// - SentencePiece scores (GGUF "llama" vocabularies): a pair merges when a+b is a token, and the
//   higher the token's score the earlier it merges.
// Characters missing from the vocabulary become <0xXX> byte tokens (byte_fallback) or the unknown
// token; those never merge.
import { LruCache } from "./lru-cache.js";
import { MinHeap } from "./min-heap.js";

export interface BpeModelOptions {
  /** Token string of each id (ids without a model token, e.g. added tokens, may be undefined). */
  vocab: ReadonlyArray<string | undefined>;
  merges?: ReadonlyArray<readonly [string, string]>;
  scores?: ArrayLike<number>;
  byteFallback?: boolean;
  unkToken?: string;
  fuseUnk?: boolean;
  /** Llama 3: a word that is itself a token is emitted whole, before any merging. */
  ignoreMerges?: boolean;
  cacheSize?: number;
}

interface Merge {
  rank: number;
  id: number;
}

interface Candidate extends Merge {
  left: number;
  leftId: number;
  rightId: number;
}

/** Words longer than this are not cached (whole SentencePiece segments can be long). */
const MAX_CACHED_WORD = 256;

export class BpeModel {
  readonly idToToken: ReadonlyArray<string | undefined>;
  readonly tokenToId: ReadonlyMap<string, number>;
  readonly merges: ReadonlyArray<readonly [string, string]> | undefined;
  readonly scores: ArrayLike<number> | undefined;
  readonly byteFallback: boolean;
  readonly unkId: number | undefined;
  readonly fuseUnk: boolean;
  readonly ignoreMerges: boolean;
  private readonly mergeMap = new Map<number, Merge>();
  private readonly byteIds: Array<number | undefined>;
  private readonly cache: LruCache<string, number[]>;

  constructor(o: BpeModelOptions) {
    this.idToToken = o.vocab;
    const ids = new Map<string, number>();
    o.vocab.forEach((t, id) => {
      if (t !== undefined && !ids.has(t)) ids.set(t, id);
    });
    this.tokenToId = ids;
    if ((o.merges === undefined) === (o.scores === undefined))
      throw new Error("BpeModel: give exactly one of merges and scores");
    this.merges = o.merges;
    this.scores = o.scores;
    o.merges?.forEach(([a, b], rank) => {
      const l = ids.get(a);
      const r = ids.get(b);
      const m = ids.get(a + b);
      if (l === undefined || r === undefined || m === undefined)
        throw new Error(`BpeModel: merge "${a} ${b}" uses a token missing from the vocabulary`);
      const key = this.pairKey(l, r);
      if (!this.mergeMap.has(key)) this.mergeMap.set(key, { rank, id: m });
    });
    this.byteFallback = o.byteFallback ?? false;
    this.byteIds = Array.from({ length: 256 }, (_, b) =>
      ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`),
    );
    this.unkId = o.unkToken === undefined ? undefined : ids.get(o.unkToken);
    this.fuseUnk = o.fuseUnk ?? false;
    this.ignoreMerges = o.ignoreMerges ?? false;
    this.cache = new LruCache(o.cacheSize ?? 20_000);
  }

  tokenize(word: string): number[] {
    if (word.length > MAX_CACHED_WORD) return this.merge(word);
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const ids = this.merge(word);
    this.cache.set(word, ids);
    return ids;
  }

  private pairKey(left: number, right: number): number {
    return left * this.idToToken.length + right;
  }

  private lookup(left: number, right: number): Merge | undefined {
    if (this.scores === undefined) return this.mergeMap.get(this.pairKey(left, right));
    const id = this.tokenToId.get(this.idToToken[left]! + this.idToToken[right]!);
    return id === undefined ? undefined : { rank: -this.scores[id]!, id };
  }

  private merge(word: string): number[] {
    if (word === "") return [];
    const whole = this.ignoreMerges ? this.tokenToId.get(word) : undefined;
    if (whole !== undefined) return [whole];

    // Initial symbols; `locked` ones (byte fallback, unknown) never take part in merges.
    const ids: number[] = [];
    const locked: boolean[] = [];
    for (const ch of word) {
      const id = this.tokenToId.get(ch);
      if (id !== undefined) {
        ids.push(id);
        locked.push(false);
        continue;
      }
      const bytes = this.byteFallback ? [...Buffer.from(ch, "utf8")].map((b) => this.byteIds[b]) : [];
      if (bytes.length > 0 && bytes.every((b) => b !== undefined)) {
        for (const b of bytes) {
          ids.push(b!);
          locked.push(true);
        }
      } else if (this.unkId !== undefined && !(this.fuseUnk && locked.at(-1) && ids.at(-1) === this.unkId)) {
        ids.push(this.unkId);
        locked.push(true);
      }
    }

    const n = ids.length;
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Array<boolean>(n).fill(true);
    const heap = new MinHeap<Candidate>((a, b) => a.rank < b.rank || (a.rank === b.rank && a.left < b.left));
    const consider = (left: number) => {
      const right = left < 0 ? -1 : next[left]!;
      if (left < 0 || right < 0 || locked[left] || locked[right]) return;
      const m = this.lookup(ids[left]!, ids[right]!);
      // One object shape for every candidate keeps the heap's comparisons fast.
      if (m !== undefined)
        heap.push({ rank: m.rank, id: m.id, left, leftId: ids[left]!, rightId: ids[right]! });
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    while (heap.size > 0) {
      const c = heap.pop()!;
      const right = next[c.left]!;
      // Skip candidates made stale by an earlier merge.
      if (!alive[c.left] || right < 0 || ids[c.left] !== c.leftId || ids[right] !== c.rightId) continue;
      ids[c.left] = c.id;
      alive[right] = false;
      next[c.left] = next[right]!;
      if (next[right]! >= 0) prev[next[right]!] = c.left;
      consider(prev[c.left]!);
      consider(c.left);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0 && i < n; i = next[i]!) out.push(ids[i]!);
    return out;
  }
}
