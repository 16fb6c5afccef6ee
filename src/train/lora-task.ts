// A training task on LoRA adapters: the trainable parameters (what the optimizer steps and checkpoints
// hold) are the adapters only, the base stays frozen, and dropout is on only inside the task's loss.
// Dropout masks are reseeded per micro-batch from the micro-batch's index in the run, so a resumed run
// draws the masks the uninterrupted run drew (checkpoints carry no generator state).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoraModel } from "../models/index.js";
import { batchCount } from "./batches.js";
import { listCheckpoints, type TrainerState } from "./checkpoint.js";
import type { TrainerOptions, TrainingTask } from "./trainer.js";

/**
 * Index, over all epochs, of the micro-batch train() runs next: 0, or where the checkpoint it resumes
 * from stopped (train() runs each micro-batch's loss once, in order).
 */
function nextMicroBatch(o: TrainerOptions, examples: number): number {
  const latest = o.resume ? listCheckpoints(o.outputDir).pop() : undefined;
  if (latest === undefined) return 0;
  const s = JSON.parse(readFileSync(join(latest.dir, "trainer_state.json"), "utf8")) as TrainerState;
  return s.epoch * batchCount(examples, o.batchSize) + s.batchInEpoch;
}

export function loraTask(task: TrainingTask, lora: LoraModel, o: TrainerOptions): TrainingTask {
  let position = nextMicroBatch(o, task.lengths.length);
  return {
    ...task,
    params: lora.params,
    fingerprint: { task: task.fingerprint, lora: lora.options },
    loss(indices, stepUnits) {
      lora.reseedDropout(o.seed * 1_000_003 + position++);
      lora.training = true;
      try {
        return task.loss(indices, stepUnits);
      } finally {
        lora.training = false;
      }
    },
  };
}
