// Symbolic families on small whole numbers: arithmetic, the larger of two, sorting.
import { between, drawUntil, joinList, pick, pickDistinct } from "../pick.js";
import { defineFamily } from "../task-family.js";

export const arithmetic = defineFamily({
  name: "arithmetic",
  description: "One addition, subtraction (never negative) or multiplication of small whole numbers.",
  make(rng) {
    const op = pick(rng, ["+", "-", "*"] as const);
    if (op === "*") {
      const [a, b] = [between(rng, 2, 12), between(rng, 2, 9)];
      return { input: `${a} * ${b}`, answer: String(a * b) };
    }
    const [a, b] = [between(rng, 0, 50), between(rng, 0, 50)];
    if (op === "+") return { input: `${a} + ${b}`, answer: String(a + b) };
    return { input: `${Math.max(a, b)} - ${Math.min(a, b)}`, answer: String(Math.abs(a - b)) };
  },
});

export const largerNumber = defineFamily({
  name: "larger-number",
  description: "The larger of two different whole numbers below 1000.",
  options: 2,
  make(rng) {
    const [a, b] = drawUntil(
      rng,
      (r) => [between(r, 1, 999), between(r, 1, 999)],
      ([x, y]) => x !== y,
    ) as [number, number];
    return { input: joinList([a, b]), answer: String(Math.max(a, b)) };
  },
});

const SMALL = Array.from({ length: 99 }, (_, i) => i + 1);

export const sortNumbers = defineFamily({
  name: "sort-numbers",
  description: "Three to five different numbers from 1 to 99 in ascending order, comma-separated.",
  make(rng) {
    const numbers = pickDistinct(rng, SMALL, between(rng, 3, 5));
    return { input: joinList(numbers), answer: joinList([...numbers].sort((x, y) => x - y)) };
  },
});
