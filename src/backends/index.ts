// Backends: the one interface every pipeline stage calls (generate, score, tokenize, chat template),
// with calign's own engine, OpenAI-compatible servers and a mock for tests behind it.
export * from "./backend.js";
export * from "./backend-errors.js";
export { DiskCache } from "./disk-cache.js";
export * from "./embedded-backend.js";
export * from "./http-backend.js";
export { HttpClient, type HttpClientOptions, type PostOptions } from "./http-client.js";
export type { LaunchOptions } from "./launch-server.js";
export { type LaunchedBackendOptions, launchHttpBackend } from "./launched-backend.js";
export * from "./mock-backend.js";
export type { RetryBudget } from "./retry-delay.js";
export type { ScoreMethod } from "./score-probe.js";
