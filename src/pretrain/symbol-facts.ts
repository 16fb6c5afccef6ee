// Corpus documents about numbers and symbols: counting, digits, comparing and ordering numbers,
// arithmetic facts, and the values of boolean expressions and bracket sequences (drawn from the task
// suite's own generators, so the corpus and the tasks write them the same way).

import { balancedBrackets, booleanExpression } from "../tasks/families/logic.js";
import { between, joinList, pick, pickDistinct } from "../tasks/pick.js";
import type { Rng } from "../util/random.js";
import { factList, lineOrSpace } from "./fact-list.js";

const UP_TO_999 = Array.from({ length: 999 }, (_, i) => i + 1);

/** Small numbers more often than large ones, as the tasks use them. */
function someNumber(rng: Rng): number {
  return pick(rng, [between(rng, 0, 20), between(rng, 1, 99), between(rng, 1, 999)]);
}

export function countingDocument(rng: Rng): string {
  const step = pick(rng, [1, 1, 1, 2, 5, 10]);
  const start = step === 1 ? between(rng, 0, 95) : step * between(rng, 0, 10);
  const run = Array.from({ length: between(rng, 5, 12) }, (_, i) => start + i * step);
  const down = rng.next() < 0.2;
  const n = someNumber(rng);
  const digits = String(n);
  const facts = [
    `${joinList(down ? [...run].reverse() : run)}.`,
    pick(rng, [
      `After ${n} comes ${n + 1}.`,
      `${n} comes before ${n + 1}.`,
      `${digits} has ${digits.length} ${digits.length === 1 ? "digit" : "digits"}: ${joinList([...digits])}.`,
      `The list ${joinList(run.slice(0, 4))} has 4 numbers.`,
    ]),
  ];
  return facts.join(lineOrSpace(rng));
}

export function numberComparisonDocument(rng: Rng): string {
  return factList(between(rng, 2, 5), () => {
    const [a, b] = pickDistinct(rng, UP_TO_999, 2) as [number, number];
    const [hi, lo] = a > b ? [a, b] : [b, a];
    const list = pickDistinct(rng, UP_TO_999.slice(0, 99), between(rng, 3, 5));
    const up = [...list].sort((x, y) => x - y);
    return pick(rng, [
      `${hi} is larger than ${lo}.`,
      `${lo} is smaller than ${hi}.`,
      `${hi} > ${lo}.`,
      `${lo} < ${hi}.`,
      `Of ${a} and ${b}, the larger number is ${hi}.`,
      `${joinList(list)} from smallest to largest: ${joinList(up)}.`,
      `${joinList(list)} in ascending order: ${joinList(up)}.`,
      `${joinList(list)} from largest to smallest: ${joinList([...up].reverse())}.`,
    ]);
  }).join(lineOrSpace(rng));
}

/** Sums and differences of numbers up to 50, products up to 12 * 12, as equations or in words. */
export function arithmeticDocument(rng: Rng): string {
  if (rng.next() < 0.25) {
    const a = between(rng, 2, 12);
    return Array.from({ length: 10 }, (_, i) => `${a} * ${i + 1} = ${a * (i + 1)}`).join("\n");
  }
  return factList(between(rng, 3, 6), () => {
    const [a, b] = [between(rng, 0, 50), between(rng, 0, 50)];
    const [hi, lo] = a >= b ? [a, b] : [b, a];
    const [m, n] = [between(rng, 2, 12), between(rng, 2, 12)];
    return pick(rng, [
      `${a} + ${b} = ${a + b}.`,
      `${hi} - ${lo} = ${hi - lo}.`,
      `${m} * ${n} = ${m * n}.`,
      `${a} plus ${b} is ${a + b}.`,
      `${hi} minus ${lo} is ${hi - lo}.`,
      `${m} times ${n} is ${m * n}.`,
    ]);
  }).join(lineOrSpace(rng));
}

/** Values of boolean expressions and whether bracket sequences are balanced. */
export function logicDocument(rng: Rng, seed: number, index: number): string {
  let k = 0;
  return factList(between(rng, 2, 5), () => {
    // Each document draws its own instances of the generators: index * 8 + k never collide.
    const at = index * 8 + k++;
    if (rng.next() < 0.5) {
      const e = booleanExpression.generate(seed, at);
      return pick(rng, [`${e.input} is ${e.answer}.`, `The value of ${e.input} is ${e.answer}.`]);
    }
    const b = balancedBrackets.generate(seed, at);
    return b.answer === "yes"
      ? pick(rng, [`${b.input} is balanced.`, `The brackets ${b.input} are balanced.`])
      : pick(rng, [`${b.input} is not balanced.`, `The brackets ${b.input} are not balanced.`]);
  }).join(lineOrSpace(rng));
}
