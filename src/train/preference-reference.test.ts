// The reference log-probs cache: computed once and read back on the next run; other data, other
// weights (even one changed number) or a torn file never reuse a stale entry.
import assert from "node:assert/strict";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { noGrad, tidy } from "../engine/index.js";
import { loadModel, scoreTokens } from "../models/index.js";
import type { PreferenceExample } from "./preference-examples.js";
import { referenceLogps } from "./preference-reference.js";

const at = { file: "t.jsonl", line: 1 };
const DATA: PreferenceExample[] = [
  {
    prompt: [256, 65],
    responses: [
      [66, 257],
      [67, 68, 257],
    ],
    rewards: [1, 0],
    chosen: 0,
    rejected: 1,
    at,
  },
  {
    prompt: [256, 70, 71, 72],
    responses: [
      [73, 257],
      [74, 257],
      [75, 257],
    ],
    rewards: [0, 2, 1],
    chosen: 1,
    rejected: 0,
    at,
  },
];

test("reference log-probs: computed once, then read from the cache; new data or weights miss it", async () => {
  const { dir } = tinyModelDir(40);
  const cacheDir = join(dir, "cache");
  try {
    const model = loadModel(dir, { device: TEST_DEVICE });
    const first = await referenceLogps(model, DATA, { cacheDir, batchSize: 2 });
    assert.equal(first.hit, false);
    // The sums are the model's own scores of each response given its prompt.
    const direct = scoreTokens(
      model,
      DATA.flatMap((e) => e.responses.map((completion) => ({ prompt: e.prompt, completion }))),
      { batchSize: 2 },
    ).map((s) => s.sum);
    assert.deepEqual(first.sums.flat(), direct);

    const second = await referenceLogps(model, DATA, { cacheDir, batchSize: 5 });
    assert.equal(second.hit, true);
    assert.equal(second.path, first.path);
    assert.deepEqual(second.sums, first.sums);

    // Other data: one token changed.
    const changed = [
      {
        ...DATA[0],
        responses: [
          [66, 257],
          [67, 69, 257],
        ],
      } as PreferenceExample,
      DATA[1] as PreferenceExample,
    ];
    const otherData = await referenceLogps(model, changed, { cacheDir, batchSize: 2 });
    assert.equal(otherData.hit, false);
    assert.notEqual(otherData.path, first.path);
    assert.equal(otherData.modelHash, first.modelHash);

    // Other weights: one number of one parameter nudged.
    tidy(() =>
      noGrad(() => {
        const w = model.params.get("model.norm.weight");
        w?.add_(w.mul(0).add(1e-3));
      }),
    );
    const otherModel = await referenceLogps(model, DATA, { cacheDir, batchSize: 2 });
    assert.equal(otherModel.hit, false);
    assert.notEqual(otherModel.modelHash, first.modelHash);
    assert.equal(otherModel.dataHash, first.dataHash);
    assert.notDeepEqual(otherModel.sums, first.sums);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith(".json")).length, 3);

    // A torn file is recomputed and replaced, never trusted.
    writeFileSync(first.path, '{"version": 1, "key": ');
    const reloaded = loadModel(dir, { device: TEST_DEVICE });
    const repaired = await referenceLogps(reloaded, DATA, { cacheDir, batchSize: 2 });
    assert.equal(repaired.hit, false);
    assert.deepEqual(repaired.sums, first.sums);
    assert.equal((await referenceLogps(reloaded, DATA, { cacheDir, batchSize: 2 })).hit, true);
    reloaded.dispose();
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
