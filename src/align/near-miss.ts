// Wrong answers one slip away from a right one, as a small model gets them wrong: a letter or digit
// dropped, doubled, swapped with its neighbour or replaced by another of its kind ("tresser" for
// "dresser", "96" for "69"), or, in a comma-separated list, an item dropped or two items swapped.
// Stage 1's verification examples show them next to right answers, so the judge learns to look at the
// answer itself, not only at whether it has the right form.
import type { Rng } from "../util/random.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

function sameKind(rng: Rng, c: string): string {
  const lower = c.toLowerCase();
  const pool = DIGITS.includes(c) ? DIGITS : LETTERS.includes(lower) ? LETTERS : "";
  if (pool === "") return c;
  const other = pool[rng.int(pool.length)]!;
  return c === lower ? other : other.toUpperCase();
}

function charSlip(rng: Rng, s: string): string {
  // Only letters and digits slip: a changed comma or space would leave the answer's words unchanged.
  const at = [...s].flatMap((c, i) => (/[\p{L}\p{N}]/u.test(c) ? [i] : []));
  if (at.length === 0) return s;
  const i = at[rng.int(at.length)]!;
  const c = s[i]!;
  switch (rng.int(4)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + c + s.slice(i);
    case 2:
      if (i + 1 < s.length) return s.slice(0, i) + s[i + 1] + c + s.slice(i + 2);
      return i > 0 ? s.slice(0, i - 1) + c + s[i - 1] : c + c;
    default:
      return s.slice(0, i) + sameKind(rng, c) + s.slice(i + 1);
  }
}

function listSlip(rng: Rng, items: string[]): string {
  const i = rng.int(items.length);
  if (rng.next() < 0.5) return items.filter((_, k) => k !== i).join(", ");
  const j = (i + 1 + rng.int(items.length - 1)) % items.length;
  const swapped = [...items];
  [swapped[i], swapped[j]] = [items[j]!, items[i]!];
  return swapped.join(", ");
}

/**
 * One slip of `answer`, or undefined when `wrong` accepts none of `tries` draws (every slip of "a" that
 * keeps a letter may still be a right answer to some question). A list answer slips as a list half the time.
 */
export function nearMiss(
  rng: Rng,
  answer: string,
  wrong: (candidate: string) => boolean,
  tries = 8,
): string | undefined {
  const items = answer.split(", ");
  for (let t = 0; t < tries; t++) {
    const slip = items.length > 1 && rng.next() < 0.5 ? listSlip(rng, items) : charSlip(rng, answer);
    if (slip.trim() !== "" && wrong(slip)) return slip;
  }
  return undefined;
}
