// Every built-in task family, in the order `calign tasks list` prints them.

import { allInCategory, anyInCategory, wordCategory } from "./families/categories.js";
import { alphabeticalFirst, fewerLetters, moreLetters, sortWords } from "./families/compare-words.js";
import { countLetterOccurrences, letterAtPosition } from "./families/letter-search.js";
import { balancedBrackets, booleanExpression } from "./families/logic.js";
import { arithmetic, largerNumber, sortNumbers } from "./families/numbers.js";
import { countWords, wordAfter, wordAtPosition, wordBefore } from "./families/sentence-positions.js";
import { extractNumber, findAnimal, sentiment } from "./families/sentence-reading.js";
import {
  countLetters,
  firstLetter,
  lastLetter,
  lowercase,
  reverseWord,
  uppercase,
} from "./families/word-transforms.js";
import type { TaskFamily } from "./task-family.js";

const FAMILIES: readonly TaskFamily[] = [
  moreLetters,
  fewerLetters,
  alphabeticalFirst,
  sortWords,
  firstLetter,
  lastLetter,
  countLetters,
  reverseWord,
  uppercase,
  lowercase,
  letterAtPosition,
  countLetterOccurrences,
  allInCategory,
  anyInCategory,
  wordCategory,
  wordAfter,
  wordBefore,
  wordAtPosition,
  countWords,
  findAnimal,
  sentiment,
  extractNumber,
  booleanExpression,
  balancedBrackets,
  arithmetic,
  largerNumber,
  sortNumbers,
];

export function listFamilies(): readonly TaskFamily[] {
  return FAMILIES;
}

export function family(name: string): TaskFamily {
  const found = FAMILIES.find((f) => f.name === name);
  if (found === undefined)
    throw new Error(`unknown task family '${name}'; known: ${FAMILIES.map((f) => f.name).join(", ")}`);
  return found;
}
