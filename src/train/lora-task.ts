// A training task on LoRA adapters: the trainable parameters (what the optimizer steps and checkpoints
// hold) are the adapters only, the base stays frozen, and dropout is on only inside the task's loss.
// Dropout masks are reseeded per micro-batch from the micro-batch's position in the run (which the
// trainer keeps across resume), so a resumed run draws the masks the uninterrupted run drew.
import type { LoraModel } from "../models/index.js";
import type { TrainerOptions, TrainingTask } from "./trainer.js";

export function loraTask(task: TrainingTask, lora: LoraModel, o: TrainerOptions): TrainingTask {
  return {
    ...task,
    params: lora.params,
    fingerprint: { task: task.fingerprint, lora: lora.options },
    loss(indices, stepUnits, position) {
      lora.reseedDropout(o.seed * 1_000_003 + position);
      lora.training = true;
      try {
        return task.loss(indices, stepUnits, position);
      } finally {
        lora.training = false;
      }
    },
  };
}
