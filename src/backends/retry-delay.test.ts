// Backoff doubles up to its cap with jitter in [0.5, 1); Retry-After reads seconds and HTTP dates.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, nextRetryDelay, retryAfterMs } from "./retry-delay.js";

test("exponential backoff with equal jitter, capped", () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
  const low = () => 0;
  const high = () => 0.75;
  assert.equal(backoffDelay(0, opts, low), 50);
  assert.equal(backoffDelay(2, opts, high), 350);
  assert.equal(backoffDelay(10, opts, low), 500);
});

test("Retry-After as seconds or a date; junk is ignored", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs("soon"), null);
  assert.equal(retryAfterMs(null), null);
});

test("the retry budget ends on attempts or on time, whichever comes first", () => {
  const half = () => 0;
  const budget = { retries: 3, retryTimeMs: 10_000, baseDelayMs: 1000, maxDelayMs: 4000 };
  assert.equal(nextRetryDelay(0, 0, null, budget, half), 500);
  assert.equal(nextRetryDelay(2, 0, null, budget, half), 2000);
  assert.equal(nextRetryDelay(3, 0, null, budget, half), null, "no retries left");
  assert.equal(nextRetryDelay(1, 8_999, null, budget, half), 1000, "ends exactly at the budget");
  assert.equal(nextRetryDelay(1, 9_001, null, budget, half), null, "the wait would pass the budget");
  // Retry-After is honoured, but never beyond the longest wait.
  assert.equal(nextRetryDelay(0, 0, 2500, budget, half), 2500);
  assert.equal(nextRetryDelay(0, 0, 60_000, budget, half), 4000);
});
