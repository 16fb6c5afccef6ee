// 300 training steps of a small MLP: the live-tensor count stays constant and RSS stays flat.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AdamW, F, Generator, liveTensors, randn, tidy } from "./index.js";

test("a 300-step training loop keeps live tensors constant and RSS flat", () => {
  const gen = new Generator(3);
  const w1 = randn([512, 256], gen).mul(0.05).setRequiresGrad();
  const w2 = randn([256, 512], gen).mul(0.05).setRequiresGrad();
  const opt = new AdamW([{ params: [w1, w2], lr: 1e-3 }]);
  const step = () =>
    tidy(() => {
      const x = randn([128, 256], gen);
      const loss = F.linear(F.linear(x, w1).gelu("tanh"), w2).sub(x).square().mean();
      opt.zeroGrad();
      loss.backward();
      opt.step();
    });
  step();
  const live = liveTensors();
  let rssAfterWarmup = 0;
  for (let s = 1; s < 300; s++) {
    step();
    assert.equal(liveTensors(), live, `live tensors changed at step ${s}`);
    if (s === 50) rssAfterWarmup = process.memoryUsage.rss();
  }
  const growthMb = (process.memoryUsage.rss() - rssAfterWarmup) / 2 ** 20;
  // One step allocates ~3 MB of activations and gradients; a leak or fragmenting allocator grows by
  // that every step (hundreds of MB over 250 steps).
  assert.ok(growthMb < 24, `RSS grew ${growthMb.toFixed(1)} MB over 250 steps`);
  w1.dispose();
  w2.dispose();
});
