// Data-parallel training over Gloo: `calign launch` with 2 ranks of `calign sft` (full weights) and of
// `calign dpo --use-lora` (with the SFT term, whose mean spans the whole micro-batch) ends with the
// weights a single process reaches with the same global batch; batch sizes are odd, so some shares
// are empty. Only rank 0 writes the metrics, and they match too. The ranks share the DPO reference
// log-probs' scoring and write the file one process writes.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { launchTwoRanks } from "../../test/helpers/dist-ranks.js";
import { runToEnd } from "../../test/helpers/kill-and-resume.js";
import { NO_GLOO } from "../../test/helpers/no-gloo.js";
import { writeReverseWords } from "../../test/helpers/reverse-words.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { TINY_PREFERENCES } from "../../test/helpers/tiny-preferences.js";
import { largestWeightDifference } from "../../test/helpers/weight-difference.js";
import { readMetrics } from "./metrics-log.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

/** The metrics two runs logged are the same records, within float tolerance (summation order differs). */
function assertSameMetrics(a: string, b: string): void {
  const ma = readMetrics(join(a, "metrics.jsonl"));
  const mb = readMetrics(join(b, "metrics.jsonl"));
  assert.equal(mb.length, ma.length);
  ma.forEach((ra, i) => {
    const rb = mb[i] ?? {};
    assert.deepEqual(Object.keys(rb).sort(), Object.keys(ra).sort());
    for (const [k, v] of Object.entries(ra))
      assert.ok(
        Math.abs(v - (rb[k] as number)) <= 1e-4 * Math.max(1, Math.abs(v)),
        `step ${ra.step} ${k}: ${v} vs ${rb[k]}`,
      );
  });
}

/** Runs `calign <argv(out)>` in one process and on 2 ranks; the weights and metrics must agree. */
async function assertTwoRanksMatchOne(dir: string, argv: (out: string) => string[], weights: string) {
  runToEnd([CLI, ...argv(join(dir, "one"))]);
  await launchTwoRanks([...argv(join(dir, "two")), "--dist-timeout", "60"]);
  const diff = largestWeightDifference(
    join(dir, "one", "model", weights),
    join(dir, "two", "model", weights),
  );
  assert.ok(diff < 1e-5, `largest weight difference ${diff}`);
  assertSameMetrics(join(dir, "one"), join(dir, "two"));
  assert.deepEqual(readdirSync(join(dir, "two")).sort(), readdirSync(join(dir, "one")).sort());
}

test("2-rank calign sft equals a 1-rank run with the same global batch", {
  skip: NO_GLOO,
  timeout: 300_000,
}, async () => {
  const { dir } = tinyModelDir(31);
  try {
    const data = join(dir, "data.jsonl");
    writeReverseWords(data);
    await assertTwoRanksMatchOne(
      dir,
      (out) => [
        "sft",
        ...["--model", dir, "--data", data, "--output", out, "--epochs", "4", "--batch-size", "3"],
        ...["--gradient-accumulation", "2", "--learning-rate", "1e-2", "--logging-steps", "1"],
        ...["--save-steps", "3"],
      ],
      "model.safetensors",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("2-rank calign dpo --use-lora (with the SFT term) equals a 1-rank run", {
  skip: NO_GLOO,
  timeout: 300_000,
}, async () => {
  const { dir } = tinyModelDir(32);
  try {
    const data = join(dir, "prefs.jsonl");
    writeFileSync(data, TINY_PREFERENCES.map((r) => `${JSON.stringify(r)}\n`).join(""));
    await assertTwoRanksMatchOne(
      dir,
      (out) => [
        "dpo",
        ...["--model", dir, "--data", data, "--output", out, "--reference-cache", join(dir, "cache")],
        ...["--epochs", "6", "--batch-size", "3", "--learning-rate", "3e-2", "--logging-steps", "1"],
        ...["--sft-weight", "0.5", "--use-lora", "--lora-r", "4", "--lora-dropout", "0"],
        ...["--lora-target-modules", "all-linear"],
      ],
      "adapter_model.safetensors",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("2 ranks share the DPO reference log-probs: the cache file one process writes, byte for byte", {
  skip: NO_GLOO,
  timeout: 120_000,
}, async () => {
  const { dir } = tinyModelDir(34);
  try {
    const data = join(dir, "prefs.jsonl");
    // 5 pairs, 10 responses, batches of 3: rank 0 scores batches 0 and 2, rank 1 batches 1 and 3.
    const rows = [...TINY_PREFERENCES, { prompt: "1 2 3", chosen: " 4", rejected: " 9" }];
    writeFileSync(data, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const argv = (name: string) => [
      "dpo",
      ...["--model", dir, "--data", data, "--output", join(dir, name), "--max-steps", "1"],
      ...["--batch-size", "3", "--reference-cache", join(dir, `cache-${name}`)],
    ];
    runToEnd([CLI, ...argv("one")]);
    await launchTwoRanks([...argv("two"), "--dist-timeout", "60"]);
    const file = (name: string) => {
      const files = readdirSync(join(dir, `cache-${name}`));
      assert.equal(files.length, 1, `${name}: ${files.join(", ")}`);
      return readFileSync(join(dir, `cache-${name}`, files[0] as string), "utf8");
    };
    assert.equal(file("two"), file("one"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
