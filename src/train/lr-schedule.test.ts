// Schedules at hand-computed points (HF transformers' definitions, num_cycles = 0.5 for cosine).
import assert from "node:assert/strict";
import { test } from "node:test";
import { learningRate, type Schedule } from "./lr-schedule.js";

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);

test("warmup rises linearly from 0 to the peak", () => {
  const s: Schedule = { kind: "cosine", peakLr: 1e-3, warmupSteps: 10, totalSteps: 110 };
  near(learningRate(s, 0), 0);
  near(learningRate(s, 5), 5e-4);
  near(learningRate(s, 10), 1e-3);
});

test("cosine decays through half the peak at mid-way to 0 at the end", () => {
  const s: Schedule = { kind: "cosine", peakLr: 2, warmupSteps: 10, totalSteps: 110 };
  near(learningRate(s, 60), 1);
  near(learningRate(s, 35), 1 + Math.SQRT1_2);
  near(learningRate(s, 110), 0);
  near(learningRate(s, 200), 0);
});

test("linear decays to 0; constant stays at the peak", () => {
  near(learningRate({ kind: "linear", peakLr: 1, warmupSteps: 0, totalSteps: 4 }, 1), 0.75);
  near(learningRate({ kind: "linear", peakLr: 1, warmupSteps: 0, totalSteps: 4 }, 9), 0);
  near(learningRate({ kind: "constant", peakLr: 0.3, warmupSteps: 2, totalSteps: 4 }, 1), 0.15);
  near(learningRate({ kind: "constant", peakLr: 0.3, warmupSteps: 2, totalSteps: 4 }, 100), 0.3);
});
