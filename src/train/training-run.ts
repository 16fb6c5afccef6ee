// The start and end every fine-tuning command (sft, dpo) shares: read the trainer options, load the
// model and tokenizer and find the EOS id the data is terminated with; afterwards write the trained
// model (unless the run was stopped) and free it.
import type { ConfigValue } from "../config/index.js";
import { type CausalLM, loadModel, loraOf } from "../models/index.js";
import { loadTokenizer, type Tokenizer } from "../tokenizers/index.js";
import { saveTrainedModel } from "./save-trained-model.js";
import type { TrainerOptions, TrainProgress, TrainResult } from "./trainer.js";
import { modelPlacement, trainerOptions } from "./trainer-schema.js";

export type RunHooks = { progress?: (p: TrainProgress) => void; shouldStop?: () => boolean };

export interface TrainingRun {
  get: (k: string) => ConfigValue;
  modelPath: string;
  opts: TrainerOptions;
  tok: Tokenizer;
  model: CausalLM;
  eosId: number;
}

export function startTrainingRun(config: Record<string, ConfigValue>): TrainingRun {
  const get = (k: string) => config[k] as ConfigValue;
  const modelPath = get("model") as string;
  const opts = trainerOptions(get);
  const tok = loadTokenizer(modelPath);
  const { device, gradientCheckpointing } = modelPlacement(get);
  const model = loadModel(modelPath, { device });
  model.gradientCheckpointing = gradientCheckpointing;
  const eosId = model.eosTokenIds[0];
  if (eosId === undefined)
    throw new Error(`${modelPath}: no eos_token_id in config.json or generation_config.json`);
  return { get, modelPath, opts, tok, model, eosId };
}

/** Saves the trained model (null when the run was stopped), removes any adapters, frees the model. */
export function finishTrainingRun(run: TrainingRun, result: TrainResult): string | null {
  const modelDir = result.stopped ? null : saveTrainedModel(run.model, run.modelPath, run.opts.outputDir);
  loraOf(run.model)?.remove();
  run.model.dispose();
  return modelDir;
}
