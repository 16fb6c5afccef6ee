import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParaphraseGroup } from "../data/group.js";
import { answerPattern, wholeResponse, withAnswers } from "./answer-pattern.js";

test("answer pattern: the last match's first group, trimmed; the whole match without a group", () => {
  const answer = answerPattern("Answer: *(.*)");
  assert.equal(answer("kiwi has 4 letters and fig has 3, so kiwi is the longer word.\nAnswer: kiwi"), "kiwi");
  // The last match counts (a response may restate its answer), and `.` stops at the line's end.
  assert.equal(answer("Answer: fig\nwait.\nAnswer:  kiwi \nmore text"), "kiwi");
  assert.equal(answerPattern("\\d+")("3 apples and 12 pears"), "12");
  // A group that did not take part in the match is the empty answer, not the whole match.
  assert.equal(answerPattern("Answer: (\\w+)?")("Answer: "), "");
});

test("answer pattern: a response it does not match counts whole; none is the whole response", () => {
  assert.equal(answerPattern("Answer: *(.*)")("kiwi"), "kiwi");
  assert.equal(answerPattern(null), wholeResponse);
  assert.equal(wholeResponse("x\nAnswer: y"), "x\nAnswer: y");
});

test("answer pattern: an invalid or empty-matching expression is refused, naming it", () => {
  assert.throws(
    () => answerPattern("Answer: (.*"),
    (e: Error) => {
      assert.ok(e instanceof SyntaxError);
      assert.match(e.message, /^answer pattern \/Answer: \(\.\*\/: /);
      return true;
    },
  );
  assert.throws(() => answerPattern("(x)?"), /matches the empty string/);
});

test("withAnswers: every response becomes its answer; variants without one stay as they are", () => {
  const groups: ParaphraseGroup[] = [
    {
      id: "a",
      instruction: "i",
      input: "",
      references: ["kiwi"],
      variants: [
        { text: "i", origin: "original", response: "so kiwi.\nAnswer: kiwi" },
        { text: "j", origin: "model" },
      ],
    },
  ];
  const [g] = withAnswers(groups, answerPattern("Answer: *(.*)"));
  assert.deepEqual(
    g!.variants.map((v) => v.response),
    ["kiwi", undefined],
  );
  assert.equal(groups[0]!.variants[0]!.response, "so kiwi.\nAnswer: kiwi", "the input is not changed");
});
