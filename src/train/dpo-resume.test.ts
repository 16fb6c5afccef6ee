// `calign dpo` end to end: kill -9 in the middle of a run, then --resume: the final weights are
// bit-identical to an uninterrupted run's, the metrics log has each step once, and the reference
// log-probs are computed by the first run only (every later run reads the cache).
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assertSameWeights, killAtFirstCheckpoint, runToEnd } from "../../test/helpers/kill-and-resume.js";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { readMetrics } from "./metrics-log.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("calign dpo: kill -9 mid-run, then --resume: final weights equal an uninterrupted run's", async () => {
  const { dir } = tinyModelDir(50);
  try {
    const data = join(dir, "prefs.jsonl");
    const words = ["cat", "dog", "bird", "fish", "lion", "bear", "wolf", "deer", "frog", "duck"];
    writeFileSync(
      data,
      words
        .map(
          (w) =>
            `${JSON.stringify({ prompt: `Reverse ${w}:`, chosen: [...w].reverse().join(""), rejected: w })}\n`,
        )
        .join(""),
    );
    const cache = join(dir, "ref-cache");
    const args = (out: string) => [
      CLI,
      "dpo",
      "--model",
      dir,
      "--device",
      TEST_DEVICE,
      "--data",
      data,
      "--output",
      out,
      "--reference-cache",
      cache,
      "--epochs",
      "60",
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
      "--sft-weight",
      "0.5",
      "--save-steps",
      "7",
      "--logging-steps",
      "5",
    ];
    assert.match(runToEnd(args(join(dir, "full"))), /reference log-probs computed into /);
    assert.ok(existsSync(join(dir, "full", "config.effective.yaml")));

    const cut = join(dir, "cut");
    await killAtFirstCheckpoint(args(cut), cut);
    assert.ok(!existsSync(join(cut, "model")), "the killed run must not have written a final model");

    assert.match(runToEnd([...args(cut), "--resume"]), /reference log-probs read from /);
    assertSameWeights(join(dir, "full"), cut);
    const full_ = readMetrics(join(dir, "full", "metrics.jsonl"));
    assert.deepEqual(
      readMetrics(join(cut, "metrics.jsonl")).map((m) => m.step),
      full_.map((m) => m.step),
    );
    const last = full_.at(-1) ?? {};
    for (const key of [
      "loss/preference",
      "loss/sft",
      "rewards/chosen",
      "rewards/rejected",
      "rewards/margins",
      "rewards/accuracies",
      "logps/chosen",
      "logps/rejected",
    ])
      assert.ok(Number.isFinite(last[key]), `${key} in ${JSON.stringify(last)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
