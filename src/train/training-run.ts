// The start and end every fine-tuning command (sft, dpo) shares: read the trainer options, load the
// model (in its dtype: a half-precision base only under LoRA) and tokenizer and find the EOS id the data is terminated with; afterwards write the trained
// model (unless the run was stopped) and free it. Given a rendezvous (the launcher's, for a command
// launched as several ranks; a nested one under `calign run`), the run joins that process group and
// trains data-parallel; rank 0 writes the model.
import type { ConfigValue } from "../config/index.js";
import { defaultBackend, ProcessGroup, type Rendezvous } from "../distributed/index.js";
import type { DType } from "../engine/index.js";
import { type CausalLM, loadModel, loraOf } from "../models/index.js";
import { loadTokenizer, type Tokenizer } from "../tokenizers/index.js";
import { withFolderLock } from "../util/folder-lock.js";
import { baseDtypeProblem } from "./lora-schema.js";
import { saveTrainedModel } from "./save-trained-model.js";
import type { TrainerOptions, TrainProgress, TrainResult } from "./trainer.js";
import { modelPlacement, trainerOptions } from "./trainer-schema.js";

/** What a trainer's worker is asked to run: its options, and the group to train in (null: alone). */
export interface TrainerRequest {
  config: Record<string, ConfigValue>;
  rendezvous: Rendezvous | null;
}

export type RunHooks = { progress?: (p: TrainProgress) => void; shouldStop?: () => boolean };

export interface TrainingRun {
  get: (k: string) => ConfigValue;
  modelPath: string;
  opts: TrainerOptions;
  tok: Tokenizer;
  model: CausalLM;
  eosId: number;
  /** The ranks' process group when launched as one of several (undefined: a single process). */
  group: ProcessGroup | undefined;
}

/**
 * Runs a training command holding its output folder's lock, so a second run there stops with the
 * holder's pid. Of several ranks only rank 0 holds it: only rank 0 writes there.
 */
export function withOutputLock<T>(
  { config, rendezvous }: TrainerRequest,
  command: string,
  body: () => Promise<T>,
): Promise<T> {
  if ((rendezvous?.rank ?? 0) !== 0) return body();
  return withFolderLock(config.output as string, command, body);
}

/**
 * Joins the rendezvous' process group, if any, with the run's `dist_timeout` (seconds): NCCL (where this
 * build has it) for a model on a GPU, Gloo for one on the CPU.
 */
export async function joinTrainingGroup(
  get: (k: string) => ConfigValue,
  rendezvous: Rendezvous | null,
  device: string,
): Promise<ProcessGroup | undefined> {
  if (rendezvous === null || rendezvous.worldSize === 1) return undefined;
  return ProcessGroup.init({
    ...rendezvous,
    timeoutMs: (get("dist_timeout") as number) * 1000,
    backend: device === "cpu" ? "gloo" : defaultBackend(),
  });
}

export async function startTrainingRun(
  config: Record<string, ConfigValue>,
  rendezvous: Rendezvous | null,
): Promise<TrainingRun> {
  const get = (k: string) => config[k] as ConfigValue;
  const problem = baseDtypeProblem(get);
  if (problem !== null) throw new Error(`dtype: ${problem}`);
  const { device, gradientCheckpointing } = modelPlacement(get, rendezvous);
  const group = await joinTrainingGroup(get, rendezvous, device);
  const modelPath = get("model") as string;
  const opts = trainerOptions(get);
  const tok = loadTokenizer(modelPath);
  const model = loadModel(modelPath, { device, dtype: get("dtype") as DType });
  model.gradientCheckpointing = gradientCheckpointing;
  const eosId = model.eosTokenIds[0];
  if (eosId === undefined)
    throw new Error(`${modelPath}: no eos_token_id in config.json or generation_config.json`);
  return { get, modelPath, opts, tok, model, eosId, group };
}

/**
 * Saves the trained model (null when the run was stopped, and on ranks other than 0, which wait until
 * it is written), removes any adapters, frees the model and leaves the process group.
 */
export async function finishTrainingRun(run: TrainingRun, result: TrainResult): Promise<string | null> {
  const { group } = run;
  const writes = !result.stopped && (group === undefined || group.isMain);
  const modelDir = writes ? saveTrainedModel(run.model, run.modelPath, run.opts.outputDir) : null;
  await group?.barrier();
  await group?.destroy();
  loraOf(run.model)?.remove();
  run.model.dispose();
  return modelDir;
}
