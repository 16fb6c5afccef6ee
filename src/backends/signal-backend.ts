// A backend whose every call carries one AbortSignal (a stage's interrupt), so Ctrl-C stops a call
// that is waiting on a slow or retrying server instead of waiting for its retry budget to run out;
// once aborted, no new call starts (a backend that cannot stop a call midway stops at the next).
import type { Backend } from "./backend.js";

export function withSignal(backend: Backend, signal: AbortSignal): Backend {
  return {
    specificationVersion: backend.specificationVersion,
    provider: backend.provider,
    modelId: backend.modelId,
    capabilities: () => backend.capabilities(),
    generate: async (request, options) => {
      signal.throwIfAborted();
      return backend.generate(request, { signal, ...options });
    },
    score: async (items, options) => {
      signal.throwIfAborted();
      return backend.score(items, { signal, ...options });
    },
    tokenize: (text, options) => backend.tokenize(text, options),
    applyChatTemplate: (messages, options) => backend.applyChatTemplate(messages, options),
    close: () => backend.close(),
  };
}
