// How the stages reach OpenAI-compatible servers, defined once: the `http` section of `calign run` and
// the `--http.*` flags of every stage command that opens a model. The retry budget, per-attempt timeout,
// concurrency and API key reach the HTTP client; `server` is a command template that calign starts
// with the stage's model instead of loading that model into its own engine.
import { type OptionSchema, type SettingsOf, settingsOf } from "../config/index.js";
import type { HttpBackendOptions } from "./http-backend.js";
import { DEFAULT_RETRIES, DEFAULT_RETRY_TIME_MS } from "./retry-delay.js";

export const HTTP_OPTIONS = {
  retries: {
    type: "integer",
    default: DEFAULT_RETRIES,
    min: 0,
    help: "retries of a failed call (429, 5xx, timeout, refused connection) after its first attempt",
  },
  retry_time: {
    type: "number",
    default: DEFAULT_RETRY_TIME_MS / 1000,
    min: 0,
    help: "seconds one call may spend retrying before the stage fails (a server restart costs a wait)",
  },
  attempt_timeout: {
    type: "number",
    default: 120,
    min: 0.001,
    help: "seconds one attempt may wait for its answer",
  },
  concurrency: {
    type: "integer",
    default: 0,
    min: 0,
    help: "calls in flight at once over all replicas (0: 4 per replica)",
  },
  api_key_env: {
    type: "string",
    default: "OPENAI_API_KEY",
    help: "environment variable holding the API key sent as a bearer token (unset: no key)",
  },
  server: {
    type: "string",
    default: null,
    help: "a command template ({model}, {port}, {host}) started with each model path a stage opens, e.g. 'vllm serve {model} --port {port}'; used over HTTP and stopped after the stage",
  },
  ready_timeout: {
    type: "number",
    default: 600,
    min: 1,
    help: "seconds a launched server may take to answer GET /v1/models",
  },
} satisfies OptionSchema;

export type HttpSettings = SettingsOf<typeof HTTP_OPTIONS>;

/** Every option at its default (for callers given no `http` section). */
export function httpDefaults(): HttpSettings {
  return settingsOf(HTTP_OPTIONS, new Map(Object.entries(HTTP_OPTIONS).map(([k, o]) => [k, o.default])));
}

/** The HTTP client's options from the settings (every backend option but the URL and the model). */
export function httpClientOptions(
  s: HttpSettings,
): Omit<HttpBackendOptions, "baseURL" | "model" | "chat" | "scoreMethod"> {
  return {
    retries: s.retries,
    retryTimeMs: s.retryTime * 1000,
    timeoutMs: s.attemptTimeout * 1000,
    ...(s.concurrency > 0 ? { concurrency: s.concurrency } : {}),
    apiKeyEnv: s.apiKeyEnv,
  };
}
