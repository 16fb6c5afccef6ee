// JSON over HTTP for OpenAI-compatible servers with Node's built-in fetch: a bearer key, a limit on
// calls in flight, a timeout per attempt, and retries with backoff on 429, 5xx, timeouts and refused
// or dropped connections (a restarting server), honouring Retry-After. Other 4xx fail at once: the
// request itself is wrong, and sending it again cannot help.
import { BackendHttpError } from "./backend-errors.js";
import { DiskCache } from "./disk-cache.js";
import { type BackoffOptions, backoffDelay, retryAfterMs } from "./retry-delay.js";
import { Semaphore } from "./semaphore.js";

export interface HttpClientOptions extends BackoffOptions {
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string | null;
  /** Per attempt (default 120 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  retries?: number;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** Where successful responses are kept; null = no cache (default). */
  cacheDir?: string | null;
}

export interface PostOptions {
  /** Serve from and store in the disk cache (default false). */
  cache?: boolean;
  signal?: AbortSignal;
}

export class HttpClient {
  private readonly gate: Semaphore;
  private readonly cache: DiskCache | null;
  /** Requests that reached the network (cache hits excluded), for callers' accounting and tests. */
  requestsSent = 0;

  constructor(private readonly opts: HttpClientOptions = {}) {
    this.gate = new Semaphore(opts.concurrency ?? 4);
    this.cache = opts.cacheDir ? new DiskCache(opts.cacheDir) : null;
  }

  async post(url: string, body: unknown, opts: PostOptions = {}): Promise<unknown> {
    const key =
      opts.cache && this.cache !== null ? DiskCache.key({ endpoint: new URL(url).pathname, body }) : null;
    if (key !== null) {
      const hit = await this.cache!.get(key);
      if (hit !== undefined) return hit;
    }
    const value = await this.gate.run(() => this.send("POST", url, body, opts.signal));
    if (key !== null) await this.cache!.set(key, value);
    return value;
  }

  get(url: string, signal?: AbortSignal): Promise<unknown> {
    return this.gate.run(() => this.send("GET", url, undefined, signal));
  }

  private async send(method: string, url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const retries = this.opts.retries ?? 5;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let last = "";
    for (let attempt = 0; ; attempt++) {
      let wait: number | null = null;
      const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 120_000);
      try {
        this.requestsSent++;
        const res = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const text = await res.text();
        if (res.ok) return parseJson(text, url);
        last = `${res.status} ${errorMessage(text)}`;
        if (res.status !== 429 && res.status < 500)
          throw new BackendHttpError(`${method} ${url}: ${last}`, res.status);
        wait = retryAfterMs(res.headers.get("retry-after"));
      } catch (err) {
        if (err instanceof BackendHttpError || signal?.aborted) throw err;
        last = timeout.aborted
          ? `no response within ${this.opts.timeoutMs ?? 120_000} ms`
          : networkMessage(err);
      }
      if (attempt >= retries)
        throw new BackendHttpError(
          `${method} ${url}: ${last} (gave up after ${attempt + 1} attempts)`,
          statusOf(last),
        );
      const delay = Math.min(wait ?? backoffDelay(attempt, this.opts), this.opts.maxDelayMs ?? 30_000);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackendHttpError(`${url}: the response is not JSON: ${text.slice(0, 200)}`, null);
  }
}

/** OpenAI's {"error": {"message"}} (or vLLM's {"message"}, or the raw text). */
function errorMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const m = typeof j.error === "string" ? j.error : (j.error?.message ?? j.message);
    if (typeof m === "string") return m;
  } catch {}
  return text.slice(0, 500);
}

function networkMessage(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

function statusOf(last: string): number | null {
  const n = Number(last.split(" ")[0]);
  return Number.isInteger(n) && n >= 100 ? n : null;
}
