// Symbolic families: boolean expressions and balanced brackets.
import type { Rng } from "../../util/random.js";
import { between, drawUntil, pick } from "../pick.js";
import { defineFamily } from "../task-family.js";

interface Expression {
  text: string;
  value: boolean;
  /** Whether the top operator is and/or: such an operand of not, and or or is parenthesised. */
  binary: boolean;
}

const operand = (e: Expression) => (e.binary ? `(${e.text})` : e.text);

/** A random expression over true/false with not, and, or; the text reads the same under the usual
 * precedence (not, then and, then or) because every binary operand is parenthesised. */
function expression(rng: Rng, depth: number): Expression {
  const roll = rng.next();
  if (depth === 0 || roll < 0.4) {
    const value = rng.next() < 0.5;
    return { text: String(value), value, binary: false };
  }
  if (roll < 0.55) {
    const inner = expression(rng, depth - 1);
    return { text: `not ${operand(inner)}`, value: !inner.value, binary: false };
  }
  const op = pick(rng, ["and", "or"] as const);
  const [a, b] = [expression(rng, depth - 1), expression(rng, depth - 1)];
  const value = op === "and" ? a.value && b.value : a.value || b.value;
  return { text: `${operand(a)} ${op} ${operand(b)}`, value, binary: true };
}

export const booleanExpression = defineFamily({
  name: "boolean-expression",
  description: 'The value ("true" or "false") of a small expression with not, and, or and parentheses.',
  options: 2,
  make(rng) {
    // At least one operator: a bare "true" would be no task.
    const e = drawUntil(
      rng,
      (r) => expression(r, 3),
      (x) => x.text.includes(" "),
    );
    return { input: e.text, answer: String(e.value) };
  },
});

const PAIRS: Record<string, string> = { "(": ")", "[": "]" };

function isBalanced(tokens: string[]): boolean {
  const stack: string[] = [];
  for (const t of tokens) {
    if (t in PAIRS) stack.push(PAIRS[t]!);
    else if (stack.pop() !== t) return false;
  }
  return stack.length === 0;
}

/** A balanced sequence of n pairs: open one, recurse inside, close it, continue. */
function balanced(rng: Rng, pairs: number): string[] {
  if (pairs === 0) return [];
  const inside = rng.int(pairs);
  const open = pick(rng, Object.keys(PAIRS));
  return [open, ...balanced(rng, inside), PAIRS[open]!, ...balanced(rng, pairs - 1 - inside)];
}

export const balancedBrackets = defineFamily({
  name: "balanced-brackets",
  description: 'Whether a sequence of round and square brackets is balanced ("yes" or "no").',
  options: 2,
  make(rng) {
    let tokens = balanced(rng, between(rng, 1, 4));
    // Half are broken by changing one bracket to another kind or direction, which always upsets one
    // kind's open/close count; the answer is still computed, not assumed.
    if (rng.next() < 0.5) {
      const at = rng.int(tokens.length);
      const other = ["(", ")", "[", "]"].filter((t) => t !== tokens[at]);
      tokens = tokens.map((t, i) => (i === at ? pick(rng, other) : t));
    }
    const input = tokens.join(" ");
    const ok = isBalanced(tokens);
    return { input, answer: ok ? "yes" : "no", work: `${input} is ${ok ? "" : "not "}balanced.` };
  },
});
