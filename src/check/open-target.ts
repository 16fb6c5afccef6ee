// A backend for a check config's model target. The HTTP backend keeps its calls in the disk cache,
// so an unchanged rerun sends no request; a local model (and libtorch) is loaded only when named.
import type { Backend } from "../backends/backend.js";
import { HttpBackend } from "../backends/http-backend.js";
import { MockBackend } from "../backends/mock-backend.js";
import type { ModelTarget, SystemSettings } from "./check-config.js";

export type Connection = Pick<SystemSettings, "concurrency" | "retries" | "timeoutMs"> & {
  cacheDir: string | null;
};

export async function openTarget(target: ModelTarget, connection: Connection): Promise<Backend> {
  switch (target.kind) {
    case "url":
      return new HttpBackend({
        baseURL: target.url,
        model: target.model,
        apiKeyEnv: target.apiKeyEnv,
        concurrency: connection.concurrency,
        retries: connection.retries,
        timeoutMs: connection.timeoutMs,
        cacheDir: connection.cacheDir,
      });
    case "mock":
      return new MockBackend({ modelId: "mock", generate: () => target.answer });
    case "path": {
      const { openBackend } = await import("../backends/open-backend.js");
      return openBackend(target.path, { device: target.device, dtype: target.dtype });
    }
  }
}

/** How a target is named in reports and cache keys. */
export function describeTarget(target: ModelTarget): string {
  if (target.kind === "url") return `${target.model} at ${target.url}`;
  if (target.kind === "mock") return `mock answering ${JSON.stringify(target.answer)}`;
  // Absent for float32, so judge verdicts cached before the option existed are still found.
  return target.dtype === "float32" ? target.path : `${target.path} (${target.dtype})`;
}
