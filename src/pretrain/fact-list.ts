// Helpers every corpus topic shares.
import type { Rng } from "../util/random.js";

/** Up to n different facts from a random fact maker: a document never states the same fact twice. */
export function factList(n: number, make: () => string): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < n && tries < n * 4; tries++) out.add(make());
  return [...out];
}

/** Facts on one line or one per line, so words appear both after a space and at a line's start
 * (two different tokens for a byte-level BPE). */
export const lineOrSpace = (rng: Rng) => (rng.next() < 0.5 ? " " : "\n");
