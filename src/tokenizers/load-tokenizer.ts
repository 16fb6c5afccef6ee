// Loading a tokenizer from wherever a model keeps it: a Hugging Face folder or a GGUF file.
import { statSync } from "node:fs";
import { join } from "node:path";
import { GgufFile } from "../io/gguf-file.js";
import { readHfTokenizerFiles } from "../io/hf-dir.js";
import { ModelFileError } from "../io/model-file-error.js";
import { tokenizerFromGguf } from "./from-gguf.js";
import { tokenizerFromJson } from "./from-tokenizer-json.js";
import type { Tokenizer } from "./tokenizer.js";

/** A folder with tokenizer.json (+ tokenizer_config.json, chat_template.jinja) or a .gguf file. */
export function loadTokenizer(path: string): Tokenizer {
  if (!statSync(path).isDirectory()) {
    const gguf = GgufFile.open(path);
    try {
      return tokenizerFromGguf(gguf);
    } finally {
      gguf.close();
    }
  }
  const files = readHfTokenizerFiles(path);
  const file = join(path, "tokenizer.json");
  if (files.tokenizerJson === undefined)
    throw new ModelFileError(path, "no tokenizer.json (only fast-tokenizer files are supported)");
  try {
    return tokenizerFromJson(files.tokenizerJson, files.tokenizerConfig, files.chatTemplate);
  } catch (err) {
    throw err instanceof ModelFileError ? err : new ModelFileError(file, (err as Error).message);
  }
}
