// A worker entry for the worker tests (src/engine/worker.test.ts): blocking tensor work in steps, with progress and stop.

import { randn, tidy } from "../../src/engine/index.js";
import { defineWorker } from "../../src/engine/worker.js";

export interface BusyRequest {
  steps: number;
  fail?: boolean;
}

defineWorker<BusyRequest, { stepsDone: number; stopped: boolean }, number>((req, ctx) => {
  if (req.fail) throw new Error("busy worker failed on purpose");
  let s = 0;
  for (; s < req.steps; s++) {
    if (ctx.shouldStop()) break;
    tidy(() =>
      randn([256, 256])
        .matmul(randn([256, 256]))
        .sum()
        .item(),
    );
    ctx.progress(s + 1);
  }
  return { stepsDone: s, stopped: s < req.steps };
});
