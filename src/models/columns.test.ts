// ForwardOptions.columns: the last block computing only the kept columns gives exactly the kept
// columns of the full pass, for every architecture variant, with left padding, with and without
// a KV cache, and the gradient reaching the parameters is the same.
import assert from "node:assert/strict";
import { test } from "node:test";
import { closeAtScale } from "../../test/helpers/close-at-scale.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { noGrad, tensor, tidy } from "../engine/index.js";
import { randomModel } from "./random-model.js";

const IDS = [
  [5, 17, 3, 88, 41, 9, 60, 2, 33, 71, 12, 50],
  [0, 0, 0, 0, 7, 7, 19, 80, 4, 26, 95, 1],
];
const MASK = IDS.map((row, r) => row.map((_, i) => (i >= [0, 4][r]! ? 1 : 0)));

const close = (a: number[], b: number[]) => closeAtScale(a, b, tolerance(1e-6));

for (const [name, config] of Object.entries(TINY)) {
  test(`${name}: hidden() of kept columns equals those columns of the full pass`, () => {
    const model = randomModel(config, 1, 0.2, TEST_DEVICE);
    try {
      tidy(() => {
        const ids = tensor(IDS, undefined, { dtype: "int64", device: TEST_DEVICE });
        const attentionMask = tensor(MASK, undefined, { dtype: "int64", device: TEST_DEVICE });
        const full = noGrad(() => model.hidden(ids, { attentionMask }));
        for (const columns of [
          { start: 5, length: 6 },
          { start: 0, length: 12 },
          { start: 11, length: 1 },
        ]) {
          const kept = noGrad(() => model.hidden(ids, { attentionMask, columns }));
          assert.deepEqual(kept.shape, [2, columns.length, full.size(2)]);
          const want = full.narrow(1, columns.start, columns.length).toArray();
          assert.ok(close(kept.toArray(), want), JSON.stringify(columns));
        }
        // With a KV cache: a prefill of 8 positions, then 4 more, all of them or keeping their last 2.
        const step = (columns: { start: number; length: number } | null) => {
          const cache = model.newCache(2, 12);
          const m8 = attentionMask.narrow(1, 0, 8);
          noGrad(() => model.hidden(ids.narrow(1, 0, 8), { attentionMask: m8, cache }));
          const h = noGrad(() => model.hidden(ids.narrow(1, 8, 4), { attentionMask, cache, columns }));
          cache.dispose();
          return h;
        };
        const stepKept = step({ start: 2, length: 2 }).toArray();
        assert.ok(close(stepKept, step(null).narrow(1, 2, 2).toArray()));
        // Gradients of a loss on the kept columns match the full pass's.
        const grads = (columns: { start: number; length: number } | null) => {
          const params = [...model.params.values()];
          for (const p of params) p.setRequiresGrad(true);
          const h = model.hidden(ids, { attentionMask, columns });
          const kept = columns === null ? h.narrow(1, 5, 6) : h;
          kept.square().mean().backward();
          const out = params.flatMap((p) => p.grad?.toArray() ?? []);
          for (const p of params) {
            p.grad = null;
            p.setRequiresGrad(false);
          }
          return out;
        };
        assert.ok(close(grads({ start: 5, length: 6 }), grads(null)));
      });
      assert.throws(
        () =>
          model.hidden(tensor(IDS, undefined, { dtype: "int64", device: TEST_DEVICE }), {
            columns: { start: 10, length: 3 },
          }),
        /columns 10\.\.12 are not within the pass's 12 columns/,
      );
    } finally {
      model.dispose();
    }
  });
}
