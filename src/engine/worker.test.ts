// Workers keep the event loop free: timers fire and progress arrives while the worker computes;
// a stop request ends it early with its result; errors reach the caller.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BusyRequest } from "../../test/helpers/busy.worker.js";
import { runWorker } from "./worker.js";

const BUSY = new URL("../../test/helpers/busy.worker.js", import.meta.url);
type Result = { stepsDone: number; stopped: boolean };

test("the event loop stays responsive while a worker computes", async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  let events = 0;
  const r = await runWorker<BusyRequest, Result, number>(
    BUSY,
    { steps: 150 },
    { onProgress: () => events++ },
  );
  clearInterval(timer);
  assert.equal(r.stepsDone, 150);
  assert.equal(events, 150);
  assert.ok(ticks > 3, `only ${ticks} timer ticks during the work`);
});

test("aborting asks the worker to stop, and it returns what it did", async () => {
  const ac = new AbortController();
  const r = await runWorker<BusyRequest, Result, number>(
    BUSY,
    { steps: 1_000_000 },
    {
      signal: ac.signal,
      onProgress: (n) => {
        if (n === 5) ac.abort();
      },
    },
  );
  assert.equal(r.stopped, true);
  assert.ok(r.stepsDone >= 5 && r.stepsDone < 1_000_000);
});

test("a worker's error rejects with its message", async () => {
  await assert.rejects(
    runWorker<BusyRequest, Result, number>(BUSY, { steps: 1, fail: true }),
    /failed on purpose/,
  );
});
