import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerAgreement, judgeHealth, judgeWarnings } from "./judge-health.js";

test("judge warnings: a judge at chance against the checker, or mostly tied sets, is named unhealthy", () => {
  const healthy = judgeHealth(
    "judge",
    [
      [0.9, 0.1],
      [0.8, 0.3],
    ],
    {
      pYes: [
        [0.9, 0.1],
        [0.8, 0.3],
      ],
      checker: checkerAgreement([0.9, 0.1, 0.8, 0.3], [true, false, true, false], true),
    },
  );
  assert.equal(healthy.accepted, 0.5);
  assert.equal(healthy.checker?.auc, 1);
  assert.equal(healthy.checker?.agreement, 1);
  assert.deepEqual(judgeWarnings(healthy), []);

  const chance = judgeHealth(
    "judge",
    [
      [0.6, 0.6, 0.6],
      [0.5, 0.5],
      [0.7, 0.4],
    ],
    {
      checker: checkerAgreement(
        [0.6, 0.6, 0.6, 0.5, 0.5, 0.7, 0.4],
        [true, false, false, true, false, false, true],
        true,
      ),
    },
  );
  // Positives 0.6, 0.5, 0.4 against negatives 0.6, 0.6, 0.5, 0.7: 0.6 ties 2, beats 0.5 (2); 0.5 beats
  // none, ties 0.5 (0.5); 0.4 nothing → (2·0.5 + 1 + 0.5) / 12 = 2.5 / 12.
  assert.ok(Math.abs((chance.checker?.auc ?? 0) - 2.5 / 12) < 1e-12);
  assert.equal(chance.tieRate, 2 / 3);
  const w = judgeWarnings(chance);
  assert.equal(w.length, 2);
  assert.match(w[0]!, /barely tells right answers from wrong ones: AUC 0\.21/);
  assert.match(w[1]!, /66\.7% of candidate sets have all rewards equal/);
  // A judge that says Yes to (almost) everything: its guard lets everything through.
  const yesMan = judgeHealth("agreement", [[0.2, 0.7]], { pYes: [Array(40).fill(0.9)] });
  assert.equal(yesMan.accepted, 1);
  assert.deepEqual(judgeWarnings(yesMan), [
    'the judge accepts 100.0% of candidates (P("Yes") >= 0.5): its verdicts separate almost nothing, and method agreement\'s guard lets nearly every candidate through',
  ]);
  // Without references nothing is said about agreement.
  assert.deepEqual(judgeWarnings(judgeHealth("judge", [[0.1, 0.9]])), []);
  assert.equal(checkerAgreement([], [], true), null);
});
