// JSON over HTTP for OpenAI-compatible servers with Node's built-in fetch: a bearer key, a limit on
// calls in flight, a timeout per attempt, and retries within a budget of attempts and time on 429,
// 5xx, timeouts and refused or dropped connections (a restarting server), honouring Retry-After.
// Other 4xx fail at once: the request itself is wrong, and sending it again cannot help. With several
// replicas, each attempt goes to the least loaded live one, and a call whose replica did not answer
// moves to another at once.
import { setTimeout as sleep } from "node:timers/promises";
import { BackendHttpError } from "./backend-errors.js";
import { DiskCache } from "./disk-cache.js";
import { EndpointPool, type EndpointPoolOptions, type Lease } from "./endpoint-pool.js";
import {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_TIME_MS,
  nextRetryDelay,
  type RetryBudget,
  retryAfterMs,
} from "./retry-delay.js";
import { Semaphore } from "./semaphore.js";

export interface HttpClientOptions extends RetryBudget, EndpointPoolOptions {
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string | null;
  /** Per attempt (default 120 s). */
  timeoutMs?: number;
  /** Calls in flight at once, over all replicas (default 4 per replica). */
  concurrency?: number;
  /** Where successful responses are kept; null = no cache (default). */
  cacheDir?: string | null;
  /** Ends every call, probes and tokenizer calls included (e.g. a command's Ctrl-C). */
  signal?: AbortSignal;
}

export interface PostOptions {
  /** Serve from and store in the disk cache (default false). */
  cache?: boolean;
  signal?: AbortSignal;
}

export class HttpClient {
  private readonly gate: Semaphore;
  private readonly cache: DiskCache | null;
  private readonly pool: EndpointPool;
  /** Requests that reached the network (cache hits excluded), for callers' accounting and tests. */
  requestsSent = 0;

  /** `endpoints`: the API roots (including /v1) of one server or of replicas serving the same model. */
  constructor(
    endpoints: string | readonly string[],
    private readonly opts: HttpClientOptions = {},
  ) {
    this.pool = new EndpointPool(typeof endpoints === "string" ? [endpoints] : endpoints, opts);
    this.gate = new Semaphore(opts.concurrency ?? 4 * this.pool.size);
    this.cache = opts.cacheDir ? new DiskCache(opts.cacheDir) : null;
  }

  /** A path ("/x" at the server root, "x" under /v1) on the first replica, for messages. */
  url(path: string): string {
    const base = this.pool.first;
    return path.startsWith("/") ? `${base.replace(/\/v1$/, "")}${path}` : `${base}/${path}`;
  }

  async post(path: string, body: unknown, opts: PostOptions = {}): Promise<unknown> {
    // Keyed by the path, not the replica: any replica's answer serves a rerun.
    const key =
      opts.cache && this.cache !== null
        ? DiskCache.key({ endpoint: new URL(this.url(path)).pathname, body })
        : null;
    if (key !== null) {
      const hit = await this.cache!.get(key);
      if (hit !== undefined) return hit;
    }
    const value = await this.gate.run(() => this.send("POST", path, body, this.signal(opts.signal)));
    if (key !== null) await this.cache!.set(key, value);
    return value;
  }

  get(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.gate.run(() => this.send("GET", path, undefined, this.signal(signal)));
  }

  /** The call's own signal and the client's, either of which ends it. */
  private signal(call: AbortSignal | undefined): AbortSignal | undefined {
    const own = this.opts.signal;
    return call && own ? AbortSignal.any([call, own]) : (call ?? own);
  }

  private async send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    const started = Date.now();
    let last = "";
    let failed: Lease | null = null;
    for (let attempt = 0; ; attempt++) {
      // A call cancelled while it waited for its turn (or its retry) sends nothing.
      signal?.throwIfAborted();
      const lease = this.pool.acquire(failed);
      const url = lease.url(path);
      let wait: number | null = null;
      let answered = true;
      const timeout = AbortSignal.timeout(timeoutMs);
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
        // A gateway with nothing behind it, or a server going away: its replica is taken out.
        answered = res.status < 502 || res.status > 504;
      } catch (err) {
        if (err instanceof BackendHttpError || signal?.aborted) throw err;
        answered = false;
        last = timeout.aborted ? `no response within ${timeoutMs} ms` : networkMessage(err);
      } finally {
        lease.release(answered);
      }
      const elapsed = Date.now() - started;
      let delay = nextRetryDelay(attempt, elapsed, wait, this.opts);
      if (delay === null)
        throw new BackendHttpError(this.gaveUp(method, url, last, attempt + 1, elapsed), statusOf(last));
      // Another replica is up: the call moves there now instead of waiting for this one.
      if (!answered && this.pool.otherLive(lease)) delay = 0;
      failed = lease;
      if (delay > 0) await sleep(delay, undefined, signal ? { signal } : {});
    }
  }

  private gaveUp(method: string, url: string, last: string, attempts: number, elapsedMs: number): string {
    const replicas = this.pool.size > 1 ? ` across ${this.pool.size} replicas` : "";
    const retries = this.opts.retries ?? DEFAULT_RETRIES;
    const seconds = (this.opts.retryTimeMs ?? DEFAULT_RETRY_TIME_MS) / 1000;
    return (
      `${method} ${url}: ${last} (gave up after ${attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s` +
      `${replicas}; the retry budget is ${retries} retries within ${seconds} s)`
    );
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
