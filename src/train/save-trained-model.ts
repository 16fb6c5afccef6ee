// Writes a trained model as a Hugging Face folder beside its checkpoints, with the base model's
// tokenizer files, chat template and generation config, so it loads like the base did. Written to a
// temporary folder and renamed into place: a crash never leaves half a model.
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readHfTokenizerFiles } from "../io/hf-dir.js";
import { type CausalLM, saveHfDir } from "../models/index.js";

/** The base model's tokenizer files, with its chat template kept in tokenizer_config.json. */
function tokenizerExtras(modelPath: string) {
  if (!existsSync(join(modelPath, "tokenizer.json"))) return {};
  const { chatTemplate, ...files } = readHfTokenizerFiles(modelPath);
  const tokenizerConfig = { ...(files.tokenizerConfig ?? {}) };
  if (chatTemplate !== undefined && tokenizerConfig.chat_template === undefined)
    tokenizerConfig.chat_template = chatTemplate;
  const generation = join(modelPath, "generation_config.json");
  const generationConfig = existsSync(generation)
    ? (JSON.parse(readFileSync(generation, "utf8")) as Record<string, unknown>)
    : undefined;
  return { ...files, tokenizerConfig, ...(generationConfig === undefined ? {} : { generationConfig }) };
}

/** Saves model to outputDir/model (returned) with the tokenizer of the model at basePath. */
export function saveTrainedModel(model: CausalLM, basePath: string, outputDir: string): string {
  const modelDir = join(outputDir, "model");
  const tmp = join(outputDir, ".model.tmp");
  rmSync(tmp, { recursive: true, force: true });
  saveHfDir(model, tmp, tokenizerExtras(basePath));
  rmSync(modelDir, { recursive: true, force: true });
  renameSync(tmp, modelDir);
  return modelDir;
}
