// A training objective on LoRA adapters: the trainable parameters (what the optimizer steps and
// checkpoints hold) are the adapters only, the base stays frozen, and dropout is on only inside the
// objective's loss.
// Dropout masks are reseeded per micro-batch from the micro-batch's position in the run (which the
// trainer keeps across resume), so a resumed run draws the masks the uninterrupted run drew.
import type { LoraModel } from "../models/index.js";
import type { TrainerOptions, TrainingObjective } from "./trainer.js";

export function loraObjective(
  objective: TrainingObjective,
  lora: LoraModel,
  o: TrainerOptions,
): TrainingObjective {
  return {
    ...objective,
    params: lora.params,
    // "task", as in trainer.ts's fingerprint: saved fingerprints must not change.
    fingerprint: { task: objective.fingerprint, lora: lora.options },
    loss(indices, stepUnits, position, microBatch) {
      lora.reseedDropout(o.seed * 1_000_003 + position);
      lora.training = true;
      try {
        return objective.loss(indices, stepUnits, position, microBatch);
      } finally {
        lora.training = false;
      }
    },
  };
}
