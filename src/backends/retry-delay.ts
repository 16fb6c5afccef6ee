// How long to wait before retrying a failed call: exponential backoff with jitter (so many clients
// retrying together spread out), or the server's Retry-After when it sends one.

export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Longest wait, also for Retry-After (default 30 s). */
  maxDelayMs?: number;
}

/**
 * Attempt 0 is the first retry: base·2^attempt capped at the maximum, then scaled by a random factor in
 * [0.5, 1) ("equal jitter": always some wait, never a synchronized burst).
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random = Math.random): number {
  const cap = opts.maxDelayMs ?? 30_000;
  const exp = Math.min(cap, (opts.baseDelayMs ?? 500) * 2 ** attempt);
  return exp * (0.5 + 0.5 * random());
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
