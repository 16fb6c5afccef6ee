// `calign dpo` end to end: load the model and tokenizer, read and tokenize the preference data, take the
// reference log-probs from the cache or compute them with the model as loaded (before any update; with
// LoRA, the base with adapters disabled), train every weight or the adapters, and write the trained
// model as a Hugging Face folder (with LoRA also the adapter) beside the checkpoints and metrics.
import type { ConfigValue } from "../config/index.js";
import type { Rendezvous } from "../distributed/index.js";
import { attachLora, withAdaptersDisabled } from "../models/index.js";
import { loraObjective } from "./lora-objective.js";
import { loraOptions } from "./lora-schema.js";
import { type PreferenceTruncation, readPreferenceExamples } from "./preference-examples.js";
import { type PreferenceTrainLoss, preferenceObjective } from "./preference-objective.js";
import { defaultReferenceCacheDir, referenceLogps } from "./preference-reference.js";
import { type TrainResult, train } from "./trainer.js";
import { finishTrainingRun, type RunHooks, startTrainingRun } from "./training-run.js";

export interface DpoRunResult extends TrainResult {
  modelDir: string | null;
  truncation: PreferenceTruncation;
  /** The reference log-probs' cache file, and whether this run found it there. */
  reference: { path: string; hit: boolean };
}

export async function runDpo(
  config: Record<string, ConfigValue>,
  hooks: RunHooks = {},
  rendezvous: Rendezvous | null = null,
): Promise<DpoRunResult> {
  const run = await startTrainingRun(config, rendezvous);
  const { get, opts, tok, model, eosId } = run;
  const loss = get("loss") as PreferenceTrainLoss;
  const maxLength = get("max_length") as number;
  const { examples, truncation } = await readPreferenceExamples(get("data") as string, tok, {
    maxLength,
    chat: get("chat") as boolean,
    eosId,
    pairsOnly: loss !== "ranking",
  });
  const lora = loraOptions(get, model.modelType);
  const adapters = lora === null ? null : attachLora(model, lora, opts.seed);
  // Before train() loads a checkpoint, and with any adapters off: the reference is the starting model.
  const ref = await referenceLogps(model, examples, {
    cacheDir: (get("reference_cache") as string | null) ?? defaultReferenceCacheDir(),
    batchSize: opts.batchSize,
    autocast: opts.bf16 ? "bfloat16" : null,
    ...(run.group ? { group: run.group } : {}),
    asReference: (step) => withAdaptersDisabled(model, step),
  });
  const objectiveOpts = {
    loss,
    beta: get("beta") as number,
    labelSmoothing: get("label_smoothing") as number,
    sftWeight: get("sft_weight") as number,
  };
  const fingerprint = { reference: ref.key, ...objectiveOpts };
  const objective = preferenceObjective(model, examples, ref.sums, objectiveOpts, fingerprint);
  const trained = adapters === null ? objective : loraObjective(objective, adapters, opts);
  const result = await train(trained, opts, hooks, run.group);
  const modelDir = await finishTrainingRun(run, result);
  return { ...result, modelDir, truncation, reference: { path: ref.path, hit: ref.hit } };
}
