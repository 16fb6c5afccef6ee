// Kill -9 in the middle of `calign sft`, then --resume: the final weights are bit-identical to an
// uninterrupted run's, and the metrics log has each step once.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assertSameWeights, killAtFirstCheckpoint, runToEnd } from "../../test/helpers/kill-and-resume.js";
import { writeReverseWords } from "../../test/helpers/reverse-words.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { readMetrics } from "./metrics-log.js";

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
      "--batch_size",
      "4",
      "--gradient_accumulation",
      "2",
      "--learning_rate",
      "1e-3",
      "--lr_scheduler",
      "cosine",
      "--warmup_ratio",
      "0.1",
      "--save_steps",
      "7",
      "--logging_steps",
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
