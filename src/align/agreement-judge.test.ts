import assert from "node:assert/strict";
import { test } from "node:test";
import { MockBackend, type TextScoreItem } from "../backends/index.js";
import { agreementJudge } from "./agreement-judge.js";

test("agreementJudge asks the filled question verbatim and answers P(Yes) / (P(Yes) + P(No))", async () => {
  const asked: TextScoreItem[] = [];
  const backend = new MockBackend({
    score: (item) => {
      asked.push(item);
      return Math.log(item.completion === "Yes" ? 0.3 : 0.1); // P(Yes | question) = 0.3 / 0.4
    },
  });
  const judge = agreementJudge(backend, { prompt: "<{a}|{b}>" });
  const p = await judge("costs $& and {b}", "$1");
  assert.ok(Math.abs((p as number) - 0.75) < 1e-12, `${p}`);
  assert.deepEqual(asked, [
    { prompt: "<costs $& and {b}|$1>", completion: "Yes" },
    { prompt: "<costs $& and {b}|$1>", completion: "No" },
  ]);
  const chat = agreementJudge(backend, { prompt: "{a}={b}?", chat: true });
  await chat("1", "2");
  assert.deepEqual(asked[2]!.prompt, [{ role: "user", content: "1=2?" }]);
  assert.throws(() => agreementJudge(backend, { prompt: "only {a}" }), /needs \{a\} and \{b\}/);
});
