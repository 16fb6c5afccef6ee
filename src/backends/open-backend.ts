// A backend from a config value: an OpenAI-compatible base URL (http:// or https://) with a model
// name, or else a local model path run by calign's own engine.
import { existsSync } from "node:fs";
import { ModelFileError } from "../io/model-file-error.js";
import { type Backend, EmbeddedBackend, HttpBackend } from "./index.js";

export async function openBackend(target: string, remoteModel: string | null = null): Promise<Backend> {
  if (/^https?:\/\//.test(target)) {
    if (remoteModel === null) throw new Error(`${target}: an OpenAI-compatible server needs a model name`);
    return new HttpBackend({ baseURL: target, model: remoteModel });
  }
  if (!existsSync(target)) throw new ModelFileError(target, "no such model file or folder");
  return EmbeddedBackend.load(target, { batchSize: 32, scoreBatchSize: 32 });
}
