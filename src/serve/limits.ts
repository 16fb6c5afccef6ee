// Every limit `calign serve` enforces, with its default, in one table. The serve command makes each a
// flag and a config key (cli/commands/serve.ts), the README's "Security and limits" lists them, and the
// server checks each before it spends work or memory on a request: the body's size and JSON depth
// before JSON.parse, the counts of prompts and stop strings before any tokenizing, the request's tokens
// and the model's context before any row is queued.

export interface LimitSpec {
  default: number;
  min: number;
  integer: boolean;
  help: string;
}

const count = (dflt: number, help: string): LimitSpec => ({ default: dflt, min: 1, integer: true, help });
const seconds = (dflt: number, help: string): LimitSpec => ({ default: dflt, min: 1, integer: false, help });

export const SERVE_LIMITS = {
  "max-body-bytes": count(1 << 20, "largest request body in bytes; larger ones get 413"),
  "max-json-depth": count(16, "deepest nesting of arrays and objects in a request body; deeper gets 400"),
  "max-prompts": count(64, "most prompts in one /v1/completions request (a list of prompts)"),
  "max-request-tokens": count(
    32768,
    "most tokens one request may occupy: (prompt + max_tokens) x n, summed over its prompts",
  ),
  "max-n": count(16, "most samples per prompt (n)"),
  "max-top-logprobs": count(20, "most alternatives per token in logprobs / top_logprobs / prompt_logprobs"),
  "max-stop": count(4, "most stop strings per request"),
  "max-stop-chars": count(256, "longest stop string, in characters"),
  "max-queue": count(64, "most generation requests waiting or running; more get 429 with Retry-After"),
  "max-batch": count(8, "most rows (prompts x n) per batch"),
  "headers-timeout": seconds(10, "seconds a client has to send the request headers; then 408"),
  "body-timeout": seconds(30, "seconds a client has to send the whole request; then 408"),
  "queue-timeout": seconds(
    120,
    "seconds a generation request may wait for its batch; then 503 with Retry-After (a running batch finishes)",
  ),
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof SERVE_LIMITS;
export type ServeLimits = Record<LimitName, number>;

export const DEFAULT_LIMITS: ServeLimits = Object.fromEntries(
  Object.entries(SERVE_LIMITS).map(([k, s]) => [k, s.default]),
) as ServeLimits;
