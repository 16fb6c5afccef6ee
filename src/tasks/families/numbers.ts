// Symbolic families on small whole numbers: one-digit sums, the larger of two, sorting three.
import { between, drawUntil, joinList, pickDistinct } from "../pick.js";
import { defineFamily } from "../task-family.js";

export const arithmetic = defineFamily({
  name: "arithmetic",
  description: "The sum of two one-digit numbers.",
  make(rng) {
    // One-digit sums, not sums to 50 and products to 12 * 9: on those the demo's base model stayed at
    // 0 % for every system (docs/pretrain.md).
    const [a, b] = [between(rng, 0, 9), between(rng, 0, 9)];
    return { input: `${a} + ${b}`, answer: String(a + b), work: `${a} + ${b} = ${a + b}.` };
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
  description: "Three different numbers from 1 to 99 in ascending order, comma-separated.",
  make(rng) {
    // Three, not three to five: with longer lists the demo's base model stayed at 0 %.
    const numbers = pickDistinct(rng, SMALL, 3);
    return { input: joinList(numbers), answer: joinList([...numbers].sort((x, y) => x - y)) };
  },
});
