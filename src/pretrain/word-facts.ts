// Corpus documents about words: how each is spelled forwards and backwards, its letters and their
// positions, its length, its capitals, its category, and how words compare by length and alphabet.
// Every sentence states a fact; none asks or tells the reader to do anything. The words come from a
// word source (word-source.ts): the task lexicon's or WordNet's.

import { between, joinList, pick, shuffle } from "../tasks/pick.js";
import { ordinal, spaced, times } from "../tasks/spelling.js";
import type { Rng } from "../util/random.js";
import { factList, lineOrSpace } from "./fact-list.js";
import type { WordSource } from "./word-source.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz";
const reversed = (w: string) => [...w].reverse().join("");

/** One fact about a word, of a randomly chosen kind, in one of several phrasings. */
function wordFact(rng: Rng, w: string, category: string | undefined, kind = -1): string {
  const n = w.length;
  const first = w[0]!;
  const last = w.at(-1)!;
  const i = rng.int(n);
  const letter = rng.next() < 0.7 ? pick(rng, [...w]) : pick(rng, [...ALPHABET]);
  const k = [...w].filter((c) => c === letter).length;
  const facts: (() => string)[] = [
    () => pick(rng, [`${w} is spelled ${spaced(w)}.`, `${w}: ${[...w].join("-")}.`]),
    () => `The letters of ${w} are ${joinList([...w])}.`,
    () =>
      pick(rng, [`${w} has ${n} letters.`, `${w} is ${n} letters long.`, `There are ${n} letters in ${w}.`]),
    () => pick(rng, [`The first letter of ${w} is ${first}.`, `${w} starts with ${first}.`]),
    () => pick(rng, [`The last letter of ${w} is ${last}.`, `${w} ends with ${last}.`]),
    () => `The ${ordinal(i)} letter of ${w} is ${w[i]}.`,
    () =>
      pick(rng, [
        `${w} backwards is ${reversed(w)}.`,
        `${w} spelled backwards is ${reversed(w)}.`,
        `${reversed(w)} is ${w} written backwards.`,
        `Reversed, the letters of ${w} are ${spaced(reversed(w))}.`,
      ]),
    () =>
      pick(rng, [
        `${w} written in capitals is ${w.toUpperCase()}.`,
        `${w.toUpperCase()} is ${w} in capitals.`,
        `${w.toUpperCase()} in lowercase is ${w}.`,
        `The lowercase form of ${w.toUpperCase()} is ${w}.`,
      ]),
    () =>
      k === 0
        ? pick(rng, [`The letter ${letter} does not occur in ${w}.`, `${w} has no ${letter}.`])
        : pick(rng, [
            `The letter ${letter} occurs ${times(k)} in ${w}.`,
            `${w} contains ${letter} ${times(k)}.`,
          ]),
  ];
  if (category !== undefined)
    facts.push(() =>
      pick(rng, [`${w} is a kind of ${category}.`, `${w} belongs to the category ${category}.`]),
    );
  return (kind >= 0 ? facts[kind]! : pick(rng, facts))();
}

/** A few facts about one word, or a dictionary entry for it. Half the time the spelling comes first,
 * so the other facts can be read off letters in context as well as recalled. */
export function wordDocument(rng: Rng, words: WordSource): string {
  const w = words.someWord(rng);
  const category = words.categoryOf(w);
  if (rng.next() < 0.35) {
    const fields = [
      `Spelling: ${spaced(w)}`,
      `Letters: ${w.length}`,
      `First letter: ${w[0]}`,
      `Last letter: ${w.at(-1)}`,
      `Backwards: ${reversed(w)}`,
      `Capitals: ${w.toUpperCase()}`,
      ...(category === undefined ? [] : [`Category: ${category}`]),
    ];
    return [`Word: ${w}`, ...shuffle(rng, fields).slice(0, between(rng, 3, fields.length))].join("\n");
  }
  const facts = factList(between(rng, 3, 6), () => wordFact(rng, w, category));
  if (rng.next() < 0.5) facts.unshift(wordFact(rng, w, category, rng.int(2)));
  return [...new Set(facts)].join(lineOrSpace(rng));
}

/** Facts comparing two or more words: length, alphabetical order, which contain a letter. */
export function wordComparisonDocument(rng: Rng, source: WordSource): string {
  const facts = factList(between(rng, 2, 4), () => {
    const words = source.pickDistinct(rng, source.comparable, between(rng, 2, 5));
    const [a, b] = words as [string, string];
    const sorted = [...words].sort();
    const roll = rng.int(4);
    if (roll === 0) {
      if (a.length === b.length) return `${a} and ${b} have the same number of letters.`;
      const [long, short] = a.length > b.length ? [a, b] : [b, a];
      return pick(rng, [
        `${long} has more letters than ${short}.`,
        `${short} has fewer letters than ${long}.`,
        `${long} is longer than ${short}.`,
        `${short} is shorter than ${long}.`,
        `${long} has ${long.length} letters and ${short} has ${short.length}, so ${long} is the longer word.`,
      ]);
    }
    if (roll === 1) {
      const [x, y] = [a, b].sort() as [string, string];
      return pick(rng, [`${x} comes before ${y} alphabetically.`, `Alphabetically, ${y} comes after ${x}.`]);
    }
    if (roll === 2)
      return pick(rng, [
        `Sorted alphabetically, ${joinList(words)} becomes ${joinList(sorted)}.`,
        `Alphabetical order: ${joinList(sorted)}.`,
      ]);
    const letter = pick(rng, [..."aeioulnrst"]);
    const having = words.filter((w) => w.includes(letter));
    if (having.length === 0) return `None of ${joinList(words)} has the letter ${letter}.`;
    if (having.length === words.length) return `Each of ${joinList(words)} has the letter ${letter}.`;
    const lacking = words.filter((w) => !w.includes(letter));
    return pick(rng, [
      `Of ${joinList(words)}, those containing ${letter} are ${joinList(having)}.`,
      `Of ${joinList(words)}, those lacking ${letter} are ${joinList(lacking)}.`,
    ]);
  });
  return facts.join(lineOrSpace(rng));
}

/** Facts about the alphabet: letter order and positions. */
export function alphabetDocument(rng: Rng): string {
  const facts = factList(between(rng, 2, 5), () => {
    const i = rng.int(25);
    const [c, d] = [ALPHABET[i]!, ALPHABET[i + 1]!];
    return pick(rng, [
      `The alphabet is ${spaced(ALPHABET)}.`,
      `After ${c} comes ${d}.`,
      `${c} comes before ${d} in the alphabet.`,
      `${c} is the ${ordinal(i)} letter of the alphabet.`,
      `${c} in capitals is ${c.toUpperCase()}.`,
      `The vowels are a, e, i, o and u.`,
    ]);
  });
  return facts.join(lineOrSpace(rng));
}

/** Which words belong to a category: members, and which of a mixed list are in or out. */
export function categoryDocument(rng: Rng, source: WordSource): string {
  const { categories, pickDistinct } = source;
  const names = Object.keys(categories);
  const category = pick(rng, names);
  const members = categories[category]!;
  const others = names.filter((c) => c !== category).flatMap((c) => categories[c]!);
  const facts = factList(between(rng, 2, 4), () => {
    const hits = pickDistinct(rng, members, between(rng, 0, 4));
    const words = shuffle(rng, [...hits, ...pickDistinct(rng, others, between(rng, hits.length ? 0 : 2, 3))]);
    const list = joinList(words);
    const w = pick(rng, members);
    const outsider = pick(rng, others);
    return pick(rng, [
      `Some kinds of ${category}: ${joinList(pickDistinct(rng, members, between(rng, 3, 6)))}.`,
      `${w} is a kind of ${category}, and ${outsider} is a kind of ${source.categoryOf(outsider)}.`,
      `${outsider} does not belong to the category ${category}.`,
      hits.length === words.length
        ? `${list}: each of them is a kind of ${category}.`
        : hits.length === 0
          ? `${list}: none of them is a kind of ${category}.`
          : `Of ${list}, the ones that are a kind of ${category} are ${joinList(hits)}, so not every one is.`,
      `Category: ${category}\nMembers among ${list}: ${hits.length === 0 ? "none" : joinList(hits)}`,
    ]);
  });
  return facts.join(lineOrSpace(rng));
}
