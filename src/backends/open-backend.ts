// A backend from a stage's model value (see backend-target.ts): an OpenAI-compatible server at a URL
// (the model named after "#", or else the only one the server lists), a server calign launches from
// the `server` command template with a model path, or the model path run by calign's own engine (on the
// device and in the dtype given).
import { existsSync } from "node:fs";
import { rankDevice } from "../distributed/index.js";
import { checkMatmulDtype, type DType } from "../engine/index.js";
import { ModelFileError } from "../io/model-file-error.js";
import type { Backend } from "./backend.js";
import { parseTarget } from "./backend-target.js";
import { EmbeddedBackend } from "./embedded-backend.js";
import { HttpBackend } from "./http-backend.js";
import { type HttpSettings, httpClientOptions, httpDefaults } from "./http-options.js";
import { launchHttpBackend } from "./launched-backend.js";
import { withSignal } from "./signal-backend.js";

export interface OpenOptions {
  /** How servers are reached and launched (default: the `http` section's defaults). */
  http?: HttpSettings;
  /** Where an HTTP backend keeps completed calls, so a rerun repeats none of them (null: no cache). */
  cacheDir?: string | null;
  /** Ends every call: an HTTP backend's probes and tokenizer calls too, any backend's next call. */
  signal?: AbortSignal;
  /** Where calign's own engine runs a model path: auto | cpu | cuda | cuda:N (default auto). */
  device?: string;
  /** The weights' dtype there (default float32). */
  dtype?: DType;
}

/**
 * Throws a DeviceError for a dtype calign's engine cannot multiply in on `device` (auto: where a model
 * path would load), so a command refuses it before writing anything rather than when the model loads.
 */
export function checkEngineDtype(dtype: DType, device: string): void {
  // float32 runs everywhere: auto stays unresolved (and libtorch unloaded) for a stage calling a server.
  if (dtype !== "float32") checkMatmulDtype(dtype, rankDevice(device));
}

export async function openBackend(target: string, o: OpenOptions = {}): Promise<Backend> {
  const t = parseTarget(target);
  const http = o.http ?? httpDefaults();
  const client = {
    ...httpClientOptions(http),
    cacheDir: o.cacheDir ?? null,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  let backend: Backend;
  if (t.kind === "url")
    backend = await HttpBackend.open({ baseURL: t.urls, ...client, ...(t.model ? { model: t.model } : {}) });
  else if (http.server !== null)
    backend = await launchHttpBackend({
      command: http.server,
      modelPath: t.path,
      readyTimeoutMs: http.readyTimeout * 1000,
      ...client,
    });
  else if (!existsSync(t.path)) throw new ModelFileError(t.path, "no such model file or folder");
  else
    backend = await EmbeddedBackend.load(t.path, {
      batchSize: 32,
      scoreBatchSize: 32,
      ...(o.device ? { device: o.device } : {}),
      ...(o.dtype ? { dtype: o.dtype } : {}),
    });
  return o.signal ? withSignal(backend, o.signal) : backend;
}
