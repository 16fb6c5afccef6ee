// A backend from a config value: an OpenAI-compatible base URL (http:// or https://) with a model
// name (or the only model the server lists), or else a local model path run by calign's own engine.
import { existsSync } from "node:fs";
import { ModelFileError } from "../io/model-file-error.js";
import { type Backend, EmbeddedBackend, HttpBackend } from "./index.js";

export async function openBackend(target: string, remoteModel: string | null = null): Promise<Backend> {
  if (/^https?:\/\//.test(target)) {
    return HttpBackend.open({ baseURL: target, ...(remoteModel === null ? {} : { model: remoteModel }) });
  }
  if (!existsSync(target)) throw new ModelFileError(target, "no such model file or folder");
  return EmbeddedBackend.load(target, { batchSize: 32, scoreBatchSize: 32 });
}
