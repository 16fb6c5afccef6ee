// `calign sft` end to end: load the model and tokenizer, read and tokenize the data, train (every weight,
// or LoRA adapters on the frozen base), and write the fine-tuned model as a Hugging Face folder (with
// the tokenizer and chat template it was trained with; with LoRA also the adapter) beside the
// checkpoints and metrics.
import type { ConfigValue } from "../config/index.js";
import { attachLora, loadModel, loraOf } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { packExamples } from "./batches.js";
import { loraOptions } from "./lora-schema.js";
import { loraTask } from "./lora-task.js";
import { saveTrainedModel } from "./save-trained-model.js";
import { readSftExamples } from "./sft-examples.js";
import { sftTask } from "./sft-trainer.js";
import { type TrainProgress, type TrainResult, train } from "./trainer.js";
import { trainerOptions } from "./trainer-schema.js";

export interface SftRunResult extends TrainResult {
  modelDir: string | null;
  truncated: number;
  examples: number;
}

export async function runSft(
  config: Record<string, ConfigValue>,
  hooks: { progress?: (p: TrainProgress) => void; shouldStop?: () => boolean } = {},
): Promise<SftRunResult> {
  const get = (k: string) => config[k] as ConfigValue;
  const modelPath = get("model") as string;
  const opts = trainerOptions(get);
  const tok = loadTokenizer(modelPath);
  const model = loadModel(modelPath);
  const eosId = model.eosTokenIds[0];
  if (eosId === undefined)
    throw new Error(`${modelPath}: no eos_token_id in config.json or generation_config.json`);
  const maxLength = get("max_length") as number;
  const { examples, truncation } = await readSftExamples(get("data") as string, tok, {
    maxLength,
    completionOnly: get("completion_only_loss") as boolean,
    chat: get("chat") as boolean,
    eosId,
  });
  const rows = get("packing") ? packExamples(examples, maxLength) : examples;
  const fingerprint = {
    data: get("data"),
    model: modelPath,
    maxLength,
    packing: get("packing"),
    n: rows.length,
  };
  const task = sftTask(model, rows, fingerprint);
  const lora = loraOptions(get, model.modelType);
  const result = train(
    lora === null ? task : loraTask(task, attachLora(model, lora, opts.seed), opts),
    opts,
    hooks,
  );
  const modelDir = result.stopped ? null : saveTrainedModel(model, modelPath, opts.outputDir);
  loraOf(model)?.remove();
  model.dispose();
  return { ...result, modelDir, truncated: truncation.truncated, examples: examples.length };
}
