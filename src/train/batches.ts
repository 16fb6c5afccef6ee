// The order examples are seen in: a seeded shuffle per epoch, optionally grouped by length (examples
// of similar length share a batch, so little compute goes to padding), and optional packing.
import { createRng } from "../util/random.js";
import type { TokenizedExample } from "./tokenized-example.js";

/** How many batches of `size` a set of n items makes (the last one may be short). */
export function batchCount(n: number, size: number): number {
  return Math.ceil(n / size);
}

/**
 * The batches of one epoch as lists of example indices; the same (seed, epoch) always gives the same
 * batches, so a resumed run sees exactly the data an uninterrupted one would.
 */
export function epochBatches(
  lengths: readonly number[],
  size: number,
  seed: number,
  epoch: number,
  byLength: boolean,
): number[][] {
  const rng = createRng((seed * 1_000_003 + epoch * 7919) >>> 0);
  const order = lengths.map((_, i) => i);
  shuffle(order, rng.int);
  if (byLength) {
    // Sort within windows of 50 batches (as HF's group_by_length does), then shuffle the batches.
    const window = size * 50;
    for (let s = 0; s < order.length; s += window) {
      const part = order.slice(s, s + window).sort((a, b) => (lengths[b] as number) - (lengths[a] as number));
      order.splice(s, part.length, ...part);
    }
  }
  const batches: number[][] = [];
  for (let s = 0; s < order.length; s += size) batches.push(order.slice(s, s + size));
  if (byLength) shuffle(batches, rng.int);
  return batches;
}

function shuffle<T>(xs: T[], int: (n: number) => number): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
}

/**
 * Packing: whole examples concatenated, in order, into rows of at most maxLength tokens (an example
 * never splits across rows). Each row's loss mask keeps only its examples' completion tokens. As in
 * TRL's default packing, tokens may attend to earlier examples in the same row.
 */
export function packExamples(examples: readonly TokenizedExample[], maxLength: number): TokenizedExample[] {
  const rows: TokenizedExample[] = [];
  let ids: number[] = [];
  let mask: number[] = [];
  let at = examples[0]?.at ?? { file: "", line: null };
  const flush = () => {
    if (ids.length === 0) return;
    rows.push({ prompt: ids.slice(0, 1), completion: ids.slice(1), completionMask: mask.slice(1), at });
    ids = [];
    mask = [];
  };
  for (const ex of examples) {
    const n = ex.prompt.length + ex.completion.length;
    if (ids.length + n > maxLength) flush();
    if (ids.length === 0) at = ex.at;
    ids.push(...ex.prompt, ...ex.completion);
    mask.push(...ex.prompt.map(() => 0), ...(ex.completionMask ?? ex.completion.map(() => 1)));
  }
  flush();
  return rows;
}
