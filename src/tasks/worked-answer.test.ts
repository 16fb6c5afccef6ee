// Worked answers: every statement a family works out is checked against the facts, recomputed from the
// input (and the lexicon file) apart from the generators, and the answer pattern finds the answer again.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { answerPattern } from "../metrics/answer-pattern.js";
import { listFamilies } from "./registry.js";
import { WORKED_ANSWER_PATTERN, workedTarget } from "./worked-answer.js";

const LEXICON = JSON.parse(
  readFileSync(new URL("../../../data/tasks/lexicon.json", import.meta.url), "utf8"),
) as { categories: Record<string, string[]>; sentiment: Record<"positive" | "negative", string[]> };

const fields = (input: string) =>
  Object.fromEntries(input.split("\n").map((line) => line.split(": ", 2) as [string, string]));
const list = (text: string) => text.split(", ");
const letters = (w: string) => w.split("").join(" ");
const occurrences = (w: string, c: string) => w.split(c).length - 1;
// Position words as the corpus writes them; every word and sentence of the suite has at most 12.
const POSITIONS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(
  " ",
);

/** Reads a statement and asserts each fact in it against the input; the answer it leads to. */
function matching(work: string, re: RegExp): string[] {
  const m = re.exec(work);
  assert.ok(m, `${JSON.stringify(work)} reads as ${re}`);
  return m.slice(1);
}

function membersCheck(input: string, work: string): void {
  const { Category, Words } = fields(input);
  const [category, words, members] = matching(work, /^Category: (\w+)\nMembers among (.+): (.+)$/);
  assert.equal(category, Category);
  assert.equal(words, Words);
  const inside = list(Words!).filter((w) => LEXICON.categories[Category!]!.includes(w));
  assert.equal(members, inside.length === 0 ? "none" : inside.join(", "));
}

const STATEMENTS: Record<string, (input: string, work: string, answer: string) => void> = {
  arithmetic: (input, work, answer) => {
    const [a, b, sum] = matching(work, /^(\d) \+ (\d) = (\d+)\.$/);
    assert.equal(`${a} + ${b}`, input);
    assert.equal(Number(sum), Number(a) + Number(b));
    assert.equal(sum, answer);
  },
  "word-category": (input, work, answer) => {
    const [word, category] = matching(work, /^(\w+) is a kind of (\w+)\.$/);
    assert.equal(word, fields(input).Word);
    assert.ok(LEXICON.categories[category!]!.includes(word!));
    assert.equal(category, answer);
  },
  "all-in-category": (input, work) => membersCheck(input, work),
  "any-in-category": (input, work) => membersCheck(input, work),
  "more-letters": (input, work, answer) => lengths(input, work, answer, "longer"),
  "fewer-letters": (input, work, answer) => lengths(input, work, answer, "shorter"),
  "letter-at-position": (input, work, answer) => {
    const { Word, Position } = fields(input);
    const [nth, word, letter] = matching(work, /^The (\w+) letter of (\w+) is (\w)\.$/);
    assert.equal(nth, POSITIONS[Number(Position) - 1]);
    assert.equal(word, Word);
    assert.equal(letter, Word!.charAt(Number(Position) - 1));
    assert.equal(letter, answer);
  },
  "count-letter-occurrences": (input, work, answer) => {
    const { Letter, Word } = fields(input);
    const [word, spelled, rest] = matching(work, /^(\w+) is spelled ([a-z ]+)\. (.+)$/);
    assert.equal(word, Word);
    assert.equal(spelled, letters(Word!));
    const n = occurrences(Word!, Letter!);
    const said =
      n === 0
        ? `The letter ${Letter} does not occur in ${Word}.`
        : `The letter ${Letter} occurs ${n} ${n === 1 ? "time" : "times"} in ${Word}.`;
    assert.equal(rest, said);
    assert.equal(String(n), answer);
  },
  "count-letters": (input, work, answer) => {
    const [word, spelled, again, n] = matching(
      work,
      /^(\w+) is spelled ([a-z ]+)\. (\w+) has (\d+) letters\.$/,
    );
    assert.equal(word, input);
    assert.equal(again, input);
    assert.equal(spelled, letters(input));
    assert.equal(Number(n), input.length);
    assert.equal(n, answer);
  },
  "balanced-brackets": (input, work, answer) => {
    const [brackets, not] = matching(work, /^([()[\] ]+) is (not )?balanced\.$/);
    assert.equal(brackets, input);
    assert.equal(not === undefined ? "yes" : "no", answer);
  },
  "word-after": (input, work, answer) => neighbour(input, work, answer, "after", 1),
  "word-before": (input, work, answer) => neighbour(input, work, answer, "before", -1),
  "word-at-position": (input, work, answer) => {
    const { Sentence, Position } = fields(input);
    const [nth, sentence, word] = matching(work, /^The (\w+) word of "(.+)" is (\w+)\.$/);
    assert.equal(nth, POSITIONS[Number(Position) - 1]);
    assert.equal(sentence, Sentence);
    assert.equal(word, Sentence!.split(" ")[Number(Position) - 1]);
    assert.equal(word, answer);
  },
  sentiment: (input, work, answer) => {
    const [sentence, polarity] = matching(work, /^"(.+)" is (positive|negative)\.$/);
    assert.equal(sentence, input);
    const words = input.split(" ");
    assert.ok(words.some((w) => LEXICON.sentiment[polarity as "positive" | "negative"].includes(w)));
    assert.equal(polarity, answer);
  },
};

function lengths(input: string, work: string, answer: string, adjective: string): void {
  const [a, la, b, lb, chosen, said] = matching(
    work,
    /^(\w+) has (\d+) letters and (\w+) has (\d+), so (\w+) is the (longer|shorter) word\.$/,
  );
  assert.deepEqual([a, b], list(input));
  assert.equal(Number(la), a!.length);
  assert.equal(Number(lb), b!.length);
  assert.equal(said, adjective);
  const longer = a!.length > b!.length ? a : b;
  assert.equal(chosen, adjective === "longer" ? longer : longer === a ? b : a);
  assert.equal(chosen, answer);
}

function neighbour(input: string, work: string, answer: string, side: string, offset: number): void {
  const { Sentence, Word } = fields(input);
  const [sentence, said, word, next] = matching(
    work,
    /^In "(.+)", the word (after|before) (\w+) is (\w+)\.$/,
  );
  assert.equal(sentence, Sentence);
  assert.equal(said, side);
  assert.equal(word, Word);
  const words = Sentence!.split(" ");
  assert.equal(next, words[words.indexOf(Word!) + offset]);
  assert.equal(next, answer);
}

const answerOf = answerPattern(WORKED_ANSWER_PATTERN);

test("the families that work their answers out are the 14 the worked answers were measured on", () => {
  const worked = listFamilies().filter((f) => f.generate(0, 0).work !== undefined);
  assert.deepEqual(worked.map((f) => f.name).sort(), Object.keys(STATEMENTS).sort());
});

for (const f of listFamilies()) {
  test(`${f.name}: the worked target states true facts and the answer pattern finds its answer`, () => {
    for (let index = 0; index < 200; index++) {
      const instance = f.generate(11, index);
      const target = workedTarget(instance);
      assert.equal(answerOf(target), instance.answer, JSON.stringify(target));
      if (instance.work === undefined) {
        assert.equal(target, instance.answer);
        continue;
      }
      assert.ok(!instance.work.includes("Answer:"), instance.work);
      assert.equal(target, `${instance.work}\nAnswer: ${instance.answer}`);
      STATEMENTS[f.name]!(instance.input, instance.work, instance.answer);
    }
  });
}
