// The order greedy answering sends its prompts in: batches of prompts of about the same length, so a
// padded batch spends little of its prefill on padding (most of evaluation's time on the demo's model).
// Prompts are sorted by length only within windows of a few batches, not over the whole set: neighbours
// in a file are usually of one task, whose answers end after about the same number of tokens, and a
// batch decodes until its longest answer ends. The order changes only the speed: a backend's answer to
// a prompt does not depend on the other prompts in its batch.

/** Batches in a window whose prompts are sorted by length. */
const WINDOW_BATCHES = 4;

/**
 * The prompts' indices in batches of at most `size`: consecutive windows of WINDOW_BATCHES · size
 * prompts, each sorted by length (shortest first; equal lengths in their original order), then cut
 * into batches. Every index appears exactly once.
 */
export function lengthBatches(lengths: readonly number[], size: number): number[][] {
  const window = size * WINDOW_BATCHES;
  const batches: number[][] = [];
  for (let w = 0; w < lengths.length; w += window) {
    const ids = Array.from({ length: Math.min(window, lengths.length - w) }, (_, i) => w + i);
    ids.sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
    for (let s = 0; s < ids.length; s += size) batches.push(ids.slice(s, s + size));
  }
  return batches;
}
