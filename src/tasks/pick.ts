// Seeded choices the generators share.
import type { Rng } from "../util/random.js";

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

/** An integer in [lo, hi]. */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** A seeded Fisher-Yates shuffle (a new array). */
export function shuffle<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** n distinct elements in random order. */
export function pickDistinct<T>(rng: Rng, list: readonly T[], n: number): T[] {
  return shuffle(rng, list).slice(0, n);
}

/** Draws until the candidate passes; the generators' conditions hold for most draws. */
export function drawUntil<T>(rng: Rng, draw: (rng: Rng) => T, ok: (value: T) => boolean): T {
  for (let tries = 0; tries < 10_000; tries++) {
    const value = draw(rng);
    if (ok(value)) return value;
  }
  throw new Error("drawUntil: condition never met (a generator bug)");
}

/** The list form of answers and inputs: "a, b, c". */
export const joinList = (items: readonly (string | number)[]) => items.join(", ");
