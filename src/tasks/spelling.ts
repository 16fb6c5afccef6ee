// How the corpus and the worked answers write letters, counts of occurrences and positions, one way.

/** A word's letters separated by spaces: "cat" → "c a t". */
export const spaced = (w: string) => [...w].join(" ");

/** "1 time", "3 times". */
export const times = (n: number) => (n === 1 ? "1 time" : `${n} times`);

const ORDINALS = [
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
];

/** Position i (from 0) as a word: 0 → "first", 11 → "twelfth", 12 → "13th". */
export const ordinal = (i: number) => ORDINALS[i] ?? `${i + 1}th`;
