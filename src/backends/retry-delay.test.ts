// Backoff doubles up to its cap with jitter in [0.5, 1); Retry-After reads seconds and HTTP dates.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, retryAfterMs } from "./retry-delay.js";

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
