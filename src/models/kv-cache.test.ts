// The KV cache changes no logit: one-token steps on a cache (a single row takes the addon's gemv path),
// or on a copy of some of its rows (selectRows), give, at every position, the logits of one uncached
// forward pass over the whole sequence.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { noGrad, type Tensor, tensor, tidy } from "../engine/index.js";
import { randomModel } from "./random-model.js";

const ROWS = [
  [5, 17, 3, 88, 41, 9, 60, 12, 7, 33],
  [44, 13, 6, 60, 2, 19, 70, 8, 91, 4],
];
const PREFILL = 4;

const ids = (rows: number[][]): Tensor =>
  tensor(rows, [rows.length, rows[0]!.length], { dtype: "int64", device: TEST_DEVICE });

for (const name of ["gpt2", "llama tied, GQA", "qwen2 (QKV bias, GQA 4:1)"]) {
  for (const batch of [1, 2]) {
    test(`kv cache (${name}, batch ${batch}): cached one-token steps give the uncached logits`, () => {
      const model = randomModel(TINY[name]!, 11, 0.5, TEST_DEVICE);
      try {
        tidy(() =>
          noGrad(() => {
            const rows = ROWS.slice(0, batch);
            const T = rows[0]!.length;
            const full = model.forward(ids(rows)).to("cpu");
            const cache = model.newCache(batch, T);
            try {
              const steps = [model.forward(ids(rows.map((r) => r.slice(0, PREFILL))), { cache })];
              for (let t = PREFILL; t < T; t++)
                steps.push(model.forward(ids(rows.map((r) => r.slice(t, t + 1))), { cache }));
              assert.equal(cache.length, T);
              const got = steps.map((s) => s.to("cpu"));
              for (let b = 0; b < batch; b++)
                for (let t = 0; t < T; t++) {
                  const step = t < PREFILL ? got[0]!.select(1, t) : got[t - PREFILL + 1]!.select(1, 0);
                  const want = full.select(1, t).select(0, b).toArray();
                  const have = step.select(0, b).toArray();
                  for (let v = 0; v < want.length; v++)
                    assert.ok(
                      Math.abs(have[v]! - want[v]!) <= 1e-4 * (1 + Math.abs(want[v]!)),
                      `row ${b} position ${t} logit ${v}: cached ${have[v]} vs uncached ${want[v]}`,
                    );
                }
            } finally {
              cache.dispose();
            }
          }),
        );
      } finally {
        model.dispose();
      }
    });
  }
}

test("kv cache: selectRows copies rows with their stored positions; steps on the copy give the uncached logits", () => {
  const model = randomModel(TINY["llama tied, GQA"]!, 11, 0.5, TEST_DEVICE);
  try {
    tidy(() =>
      noGrad(() => {
        const T = ROWS[0]!.length;
        const cache = model.newCache(2, T);
        model.forward(ids(ROWS.map((r) => r.slice(0, PREFILL))), { cache });
        const order = [1, 0, 1];
        const copy = cache.selectRows(order);
        cache.dispose();
        try {
          assert.equal(copy.batch, 3);
          assert.equal(copy.length, PREFILL);
          const rows = order.map((i) => ROWS[i]!);
          const full = model.forward(ids(rows)).to("cpu");
          for (let t = PREFILL; t < T; t++) {
            const step = model.forward(ids(rows.map((r) => r.slice(t, t + 1))), { cache: copy }).to("cpu");
            const want = full.select(1, t).toArray();
            const have = step.select(1, 0).toArray();
            for (let v = 0; v < want.length; v++)
              assert.ok(
                Math.abs(have[v]! - want[v]!) <= 1e-4 * (1 + Math.abs(want[v]!)),
                `position ${t} entry ${v}: ${have[v]} vs ${want[v]}`,
              );
          }
        } finally {
          copy.dispose();
        }
      }),
    );
  } finally {
    model.dispose();
  }
});
