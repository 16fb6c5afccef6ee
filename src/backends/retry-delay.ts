// How long to wait before retrying a failed call: exponential backoff with jitter (so many clients
// retrying together spread out), or the server's Retry-After when it sends one; and when to stop:
// a budget of attempts and of time, so a server restarting for a minute costs a wait, not the run.

export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Longest wait, also for Retry-After (default 30 s). */
  maxDelayMs?: number;
}

export interface RetryBudget extends BackoffOptions {
  /** Retries after the first attempt (default 100: the time budget usually ends retrying first). */
  retries?: number;
  /** Longest time one call may spend retrying, from its first attempt (default 300 s). */
  retryTimeMs?: number;
}

export const DEFAULT_RETRIES = 100;
export const DEFAULT_RETRY_TIME_MS = 300_000;

/**
 * Attempt 0 is the first retry: base·2^attempt capped at the maximum, then scaled by a random factor in
 * [0.5, 1) ("equal jitter": always some wait, never a synchronized burst).
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random = Math.random): number {
  const cap = opts.maxDelayMs ?? 30_000;
  const exp = Math.min(cap, (opts.baseDelayMs ?? 500) * 2 ** attempt);
  return exp * (0.5 + 0.5 * random());
}

/**
 * The wait before retry `attempt` (0 = the first retry) of a call that started `elapsedMs` ago, or null
 * when the budget is spent: no retries left, or the wait would end past the time budget.
 */
export function nextRetryDelay(
  attempt: number,
  elapsedMs: number,
  retryAfter: number | null,
  budget: RetryBudget = {},
  random = Math.random,
): number | null {
  if (attempt >= (budget.retries ?? DEFAULT_RETRIES)) return null;
  const delay = Math.min(retryAfter ?? backoffDelay(attempt, budget, random), budget.maxDelayMs ?? 30_000);
  return elapsedMs + delay > (budget.retryTimeMs ?? DEFAULT_RETRY_TIME_MS) ? null : delay;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
