// `calign dpo` end to end: kill -9 in the middle of a run, then --resume: the final weights are
// bit-identical to an uninterrupted run's, the metrics log has each step once, and the reference
// log-probs are computed by the first run only (every later run reads the cache).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
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
      "--data",
      data,
      "--output",
      out,
      "--reference_cache",
      cache,
      "--epochs",
      "60",
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
      "--sft_weight",
      "0.5",
      "--save_steps",
      "7",
      "--logging_steps",
      "5",
    ];
    const full = spawnSync(process.execPath, args(join(dir, "full")), { encoding: "utf8" });
    assert.equal(full.status, 0, full.stderr);
    assert.match(full.stdout, /reference log-probs computed into /);
    assert.ok(existsSync(join(dir, "full", "config.effective.yaml")));

    const cut = join(dir, "cut");
    const child = spawn(process.execPath, args(cut), { stdio: "ignore" });
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        const hasCheckpoint = existsSync(cut) && readdirSync(cut).some((n) => /^checkpoint-\d+$/.test(n));
        if (hasCheckpoint) {
          clearInterval(poll);
          child.kill("SIGKILL");
        }
      }, 5);
      child.on("exit", (code, signal) => {
        clearInterval(poll);
        if (signal === "SIGKILL") resolve();
        else reject(new Error(`run finished (code ${code}) before it could be killed`));
      });
    });
    assert.ok(!existsSync(join(cut, "model")), "the killed run must not have written a final model");

    const resumed = spawnSync(process.execPath, [...args(cut), "--resume"], { encoding: "utf8" });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /reference log-probs read from /);
    const a = readFileSync(join(dir, "full", "model", "model.safetensors"));
    const b = readFileSync(join(cut, "model", "model.safetensors"));
    assert.ok(a.equals(b), "resumed weights differ from the uninterrupted run");
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
