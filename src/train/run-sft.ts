// `calign sft` end to end: load the model and tokenizer, read and tokenize the data, train (every weight,
// or LoRA adapters on the frozen base), and write the fine-tuned model as a Hugging Face folder (with
// the tokenizer and chat template it was trained with; with LoRA also the adapter) beside the
// checkpoints and metrics.
import type { ConfigValue } from "../config/index.js";
import type { Rendezvous } from "../distributed/index.js";
import { attachLora } from "../models/index.js";
import { packExamples } from "./batches.js";
import { loraObjective } from "./lora-objective.js";
import { loraOptions } from "./lora-schema.js";
import { readSftExamples } from "./sft-examples.js";
import { sftObjective } from "./sft-objective.js";
import { type TrainResult, train } from "./trainer.js";
import { finishTrainingRun, type RunHooks, startTrainingRun } from "./training-run.js";

export interface SftRunResult extends TrainResult {
  modelDir: string | null;
  truncated: number;
  examples: number;
}

export async function runSft(
  config: Record<string, ConfigValue>,
  hooks: RunHooks = {},
  rendezvous: Rendezvous | null = null,
): Promise<SftRunResult> {
  const run = await startTrainingRun(config, rendezvous);
  const { get, modelPath, opts, tok, model, eosId } = run;
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
    // Absent for float32, so checkpoints written before the option existed still resume.
    ...(get("dtype") === "float32" ? {} : { dtype: get("dtype") }),
  };
  const objective = sftObjective(model, rows, fingerprint);
  const lora = loraOptions(get, model.modelType);
  const result = await train(
    lora === null ? objective : loraObjective(objective, attachLora(model, lora, opts.seed), opts),
    opts,
    hooks,
    run.group,
  );
  const modelDir = await finishTrainingRun(run, result);
  return { ...result, modelDir, truncated: truncation.truncated, examples: examples.length };
}
