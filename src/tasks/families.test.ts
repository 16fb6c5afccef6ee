// Every family's answers, checked on hundreds of instances by a checker written apart from the
// generator: it reads only the input text (and the lexicon file itself) and recomputes the answer by
// another method.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { listFamilies } from "./registry.js";

const LEXICON = JSON.parse(
  readFileSync(new URL("../../../data/tasks/lexicon.json", import.meta.url), "utf8"),
) as { categories: Record<string, string[]>; sentiment: Record<"positive" | "negative", string[]> };

/** "Label: value" lines of an input. */
function fields(input: string): Record<string, string> {
  return Object.fromEntries(input.split("\n").map((line) => line.split(": ", 2) as [string, string]));
}

const list = (text: string) => text.split(", ");
const byLength = (words: string[]) => [...words].sort((a, b) => a.length - b.length);
const inCategory = (word: string, category: string) => LEXICON.categories[category]!.includes(word);

function selectionSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  const out = [...items];
  for (let i = 0; i < out.length; i++) {
    let min = i;
    for (let j = i + 1; j < out.length; j++) if (less(out[j]!, out[min]!)) min = j;
    [out[i], out[min]] = [out[min]!, out[i]!];
  }
  return out;
}

function sentenceWord(input: string, offset: number): string {
  const { Sentence, Word } = fields(input);
  const words = Sentence!.split(" ");
  const at = words.flatMap((w, i) => (w === Word ? [i] : []));
  assert.equal(at.length, 1, `the word occurs once: ${input}`);
  return words[at[0]! + offset]!;
}

function categoryCheck(input: string, quantifier: "every" | "some"): string {
  const { Category, Words } = fields(input);
  return list(Words!)[quantifier]((w) => inCategory(w, Category!)) ? "yes" : "no";
}

/** Removes innermost matched pairs until none is left. */
function bracketsBalanced(input: string): string {
  let s = input.replaceAll(" ", "");
  for (let before = ""; before !== s; ) {
    before = s;
    s = s.replaceAll("()", "").replaceAll("[]", "");
  }
  return s === "" ? "yes" : "no";
}

const CHECKERS: Record<string, (input: string) => string> = {
  "more-letters": (input) => {
    const sorted = byLength(list(input));
    assert.notEqual(sorted[0]!.length, sorted[1]!.length);
    return sorted[1]!;
  },
  "fewer-letters": (input) => {
    const sorted = byLength(list(input));
    assert.notEqual(sorted[0]!.length, sorted[1]!.length);
    return sorted[0]!;
  },
  "alphabetical-first": (input) => list(input).sort((a, b) => a.localeCompare(b, "en"))[0]!,
  "sort-words": (input) => selectionSort(list(input), (a, b) => a.localeCompare(b, "en") < 0).join(", "),
  "first-letter": (input) => input.charAt(0),
  "last-letter": (input) => input.charAt(input.length - 1),
  "count-letters": (input) => String(input.match(/[a-z]/g)!.length),
  "reverse-word": (input) => {
    let out = "";
    for (let i = input.length - 1; i >= 0; i--) out += input[i];
    return out;
  },
  uppercase: (input) => String.fromCharCode(...[...input].map((c) => c.charCodeAt(0) - 32)),
  lowercase: (input) => {
    assert.match(input, /^[A-Z]+$/);
    return String.fromCharCode(...[...input].map((c) => c.charCodeAt(0) + 32));
  },
  "letter-at-position": (input) => {
    const { Word, Position } = fields(input);
    const at = Number(Position);
    assert.ok(Number.isInteger(at) && at >= 1 && at <= Word!.length, `a position in the word: ${input}`);
    return Word!.charAt(at - 1);
  },
  "count-letter-occurrences": (input) => {
    const { Letter, Word } = fields(input);
    return String(Word!.split(Letter!).length - 1);
  },
  "all-in-category": (input) => categoryCheck(input, "every"),
  "any-in-category": (input) => categoryCheck(input, "some"),
  "word-category": (input) => {
    const { Word, Options } = fields(input);
    const homes = Object.keys(LEXICON.categories).filter((c) => inCategory(Word!, c));
    assert.equal(homes.length, 1, `${Word} is in one category`);
    assert.ok(list(Options!).includes(homes[0]!), `the options offer ${homes[0]}`);
    return homes[0]!;
  },
  "word-after": (input) => sentenceWord(input, 1),
  "word-before": (input) => sentenceWord(input, -1),
  "word-at-position": (input) => {
    const { Sentence, Position } = fields(input);
    const words = Sentence!.trim().split(/\s+/);
    const at = Number(Position);
    assert.ok(Number.isInteger(at) && at >= 1 && at <= words.length, `a position in the sentence: ${input}`);
    return words[at - 1]!;
  },
  "count-words": (input) => String(input.trim().split(/\s+/).length),
  "find-animal": (input) => {
    const animals = input.split(" ").filter((w) => inCategory(w, "animal"));
    assert.equal(animals.length, 1, `one animal in: ${input}`);
    return animals[0]!;
  },
  sentiment: (input) => {
    const words = input.split(" ");
    const pos = words.filter((w) => LEXICON.sentiment.positive.includes(w)).length;
    const neg = words.filter((w) => LEXICON.sentiment.negative.includes(w)).length;
    assert.equal(pos + neg, 1, `one sentiment word in: ${input}`);
    return pos === 1 ? "positive" : "negative";
  },
  "extract-number": (input) => {
    const numbers = input.match(/\d+/g)!;
    assert.equal(numbers.length, 1);
    return numbers[0]!;
  },
  "boolean-expression": (input) => {
    assert.match(input, /^(true|false|not|and|or|[() ])+$/);
    const js = input.replaceAll("and", "&&").replaceAll("or", "||").replaceAll("not", "!");
    return String(new Function(`return ${js};`)());
  },
  "balanced-brackets": bracketsBalanced,
  arithmetic: (input) => {
    assert.match(input, /^\d \+ \d$/);
    const value = new Function(`return ${input};`)() as number;
    assert.ok(value >= 0);
    return String(value);
  },
  "larger-number": (input) => {
    const [a, b] = list(input).map(Number) as [number, number];
    assert.notEqual(a, b);
    return String(Math.max(a, b));
  },
  "sort-numbers": (input) => selectionSort(list(input).map(Number), (a, b) => a < b).join(", "),
};

const INSTANCES = 300;

test("the suite has at least 24 families, uniquely named, each with a checker", () => {
  const names = listFamilies().map((f) => f.name);
  assert.ok(names.length >= 24, `${names.length} families`);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual([...names].sort(), Object.keys(CHECKERS).sort());
});

for (const f of listFamilies()) {
  test(`${f.name}: answers agree with the independent checker on ${INSTANCES} instances`, () => {
    for (let index = 0; index < INSTANCES; index++) {
      const { input, answer } = f.generate(17, index);
      assert.ok(input.length > 0 && input.length <= 120, `short input: ${JSON.stringify(input)}`);
      assert.ok(answer.length > 0 && !answer.includes("\n"), `short answer: ${JSON.stringify(answer)}`);
      assert.equal(answer, CHECKERS[f.name]!(input), `input ${JSON.stringify(input)}`);
    }
  });

  test(`${f.name}: deterministic in (seed, index), varied across them`, () => {
    const draw = (seed: number) => Array.from({ length: 40 }, (_, i) => f.generate(seed, i));
    assert.deepEqual(draw(3), draw(3));
    assert.notDeepEqual(draw(3), draw(4));
    assert.ok(new Set(draw(3).map((x) => x.input)).size > 10, "instances vary with the index");
    // Instance i does not depend on instances drawn before it.
    assert.deepEqual(f.generate(3, 39), draw(3)[39]);
  });
}

test("yes/no and two-way families are roughly balanced", () => {
  for (const name of ["all-in-category", "any-in-category", "balanced-brackets", "sentiment"]) {
    const f = listFamilies().find((x) => x.name === name)!;
    const answers = Array.from({ length: 400 }, (_, i) => f.generate(5, i).answer);
    const first = answers.filter((a) => a === answers[0]).length;
    assert.ok(first > 120 && first < 280, `${name}: ${first}/400 are "${answers[0]}"`);
  }
});

/** The answers an instance offers, for families that pick one from their input. */
const OFFERED: Record<string, (input: string) => string[]> = {
  "more-letters": list,
  "fewer-letters": list,
  "alphabetical-first": list,
  "larger-number": list,
  "word-category": (input) => list(fields(input).Options!),
};

test("a family's options (its chance level's denominator): what each instance offers, the answer among them", () => {
  const fixed = listFamilies().filter((f) => f.options !== null);
  assert.ok(fixed.length >= 8, `${fixed.length} families with options`);
  for (const f of fixed) {
    const answers = new Set<string>();
    for (let index = 0; index < INSTANCES; index++) {
      const { input, answer } = f.generate(23, index);
      const offered = OFFERED[f.name]?.(input);
      if (offered === undefined) {
        answers.add(answer);
        continue;
      }
      assert.equal(new Set(offered).size, f.options, `${f.name}: ${input}`);
      assert.ok(offered.includes(answer), `${f.name}: ${answer} offered in ${input}`);
    }
    // A family that offers nothing in its input answers from a fixed set: every option occurs.
    if (OFFERED[f.name] === undefined) assert.equal(answers.size, f.options, `${f.name}: ${[...answers]}`);
  }
});
