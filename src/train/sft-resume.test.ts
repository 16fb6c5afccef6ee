// Kill -9 in the middle of `calign sft`, then --resume: the final weights are bit-identical to an
// uninterrupted run's, and the metrics log has each step once.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assertSameWeights, killAtFirstCheckpoint, runToEnd } from "../../test/helpers/kill-and-resume.js";
import { writeReverseWords } from "../../test/helpers/reverse-words.js";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { testTrainerOptions } from "../../test/helpers/trainer-options.js";
import { loadModel } from "../models/index.js";
import { readMetrics } from "./metrics-log.js";
import { sftObjective } from "./sft-objective.js";
import type { TokenizedExample } from "./tokenized-example.js";
import { type TrainResult, train } from "./trainer.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("kill -9 mid-run, then --resume: final weights equal an uninterrupted run's", async () => {
  const { dir } = tinyModelDir(9);
  try {
    const data = join(dir, "data.jsonl");
    writeReverseWords(data);
    const args = (out: string) => [
      CLI,
      "sft",
      "--model",
      dir,
      "--data",
      data,
      "--output",
      out,
      "--epochs",
      "200",
      "--batch-size",
      "4",
      "--gradient-accumulation",
      "2",
      "--learning-rate",
      "1e-3",
      "--lr-scheduler",
      "cosine",
      "--warmup-ratio",
      "0.1",
      "--save-steps",
      "7",
      "--logging-steps",
      "5",
    ];
    runToEnd(args(join(dir, "full")));

    const cut = join(dir, "cut");
    await killAtFirstCheckpoint(args(cut), cut);
    assert.ok(!existsSync(join(cut, "model")), "the killed run must not have written a final model");

    runToEnd([...args(cut), "--resume"]);
    assertSameWeights(join(dir, "full"), cut);
    const steps = readMetrics(join(cut, "metrics.jsonl")).map((m) => m.step);
    assert.deepEqual(
      steps,
      readMetrics(join(dir, "full", "metrics.jsonl")).map((m) => m.step),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 item 5: a run killed after its final checkpoint resumes with its last metrics", async () => {
  // The kill landed while the model folder was written: the final checkpoint is on disk, the model is
  // not, so the rerun resumes at the last step and trains nothing; its summary must still be there.
  const { dir } = tinyModelDir(10);
  try {
    const examples: TokenizedExample[] = [
      { prompt: [256, 72, 105], completion: [33, 32, 104, 257], at: { file: "t.jsonl", line: 1 } },
      { prompt: [256, 120], completion: [121, 122, 257], at: { file: "t.jsonl", line: 2 } },
    ];
    const options = testTrainerOptions(join(dir, "out"), {
      epochs: 3,
      batchSize: 1,
      logSteps: 4,
      resume: true,
    });
    const once = async (): Promise<TrainResult> => {
      const model = loadModel(dir, { device: TEST_DEVICE });
      try {
        return await train(sftObjective(model, examples, null), options);
      } finally {
        model.dispose();
      }
    };
    const first = await once();
    assert.equal(first.steps, 6);
    assert.equal(first.lastMetrics?.step, 6);
    const rerun = await once();
    assert.equal(rerun.steps, 6);
    assert.deepEqual(rerun.lastMetrics, first.lastMetrics);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
