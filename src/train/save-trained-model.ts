// Writes a trained model as a Hugging Face folder beside its checkpoints, with the base model's
// tokenizer files, chat template and generation config, so it loads like the base did. Written to a
// temporary folder and renamed into place: a crash never leaves half a model.
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { readHfTokenizerFiles } from "../io/hf-dir.js";
import { type CausalLM, loraOf, saveHfDir, saveLoraAdapter, saveMergedHfDir } from "../models/index.js";

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

/**
 * Saves model to outputDir/model (returned) with the tokenizer of the model at basePath. With LoRA
 * adapters attached, model/ is the adapter in PEFT's layout (base_model_name_or_path: basePath) and
 * outputDir/model-merged the full model with the adapters merged in, which calign generate runs.
 */
export function saveTrainedModel(model: CausalLM, basePath: string, outputDir: string): string {
  const lora = loraOf(model);
  if (lora === undefined)
    return writeFolder(outputDir, "model", (dir) => saveHfDir(model, dir, tokenizerExtras(basePath)));
  writeFolder(outputDir, "model-merged", (dir) => saveMergedHfDir(lora, dir, tokenizerExtras(basePath)));
  return writeFolder(outputDir, "model", (dir) => saveLoraAdapter(lora, dir, resolve(basePath)));
}

/** Writes outputDir/name through a temporary folder renamed into place. */
function writeFolder(outputDir: string, name: string, write: (dir: string) => void): string {
  const final = join(outputDir, name);
  const tmp = join(outputDir, `.${name}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  write(tmp);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  return final;
}
