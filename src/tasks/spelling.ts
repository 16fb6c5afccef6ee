// How the corpus and the worked answers write a word's letters and a count of occurrences, one way.

/** A word's letters separated by spaces: "cat" → "c a t". */
export const spaced = (w: string) => [...w].join(" ");

/** "1 time", "3 times". */
export const times = (n: number) => (n === 1 ? "1 time" : `${n} times`);
