// The trainer options of the in-process trainer tests: one place for the defaults every test shares
// (plain AdamW, constant schedule, no checkpoints), each test overriding what it is about.
import type { TrainerOptions } from "../../src/train/trainer.js";

export function testTrainerOptions(outputDir: string, over: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    outputDir,
    epochs: 1,
    maxSteps: null,
    batchSize: 3,
    gradientAccumulation: 1,
    learningRate: 1e-3,
    schedule: "constant",
    warmupRatio: 0,
    weightDecay: 0,
    adamBetas: [0.9, 0.999],
    adamEps: 1e-8,
    maxGradNorm: 1,
    seed: 1,
    groupByLength: true,
    logSteps: 1,
    saveSteps: 0,
    saveTotalLimit: 1,
    resume: false,
    ...over,
  };
}
