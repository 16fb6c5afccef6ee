// The stage commands chained by hand on the tiny model: augment (rules) → sample → reward → pairs →
// evaluate, each reading the previous one's file and writing its own with a summary beside it (models
// on the test device).
import assert from "node:assert/strict";
import { existsSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calign, calignResult, jsonLines as lines } from "../../../test/helpers/calign-cli.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { TEST_DEVICE } from "../../../test/helpers/test-device.js";

/** A model path for a stage, run on the test device. */
const onModel = (dir: string) => ["--model", dir, "--device", TEST_DEVICE];

test("augment, sample, reward, pairs and evaluate chain through their files", () => {
  const { dir } = pipelineFixture(21);
  try {
    const f = (name: string) => join(dir, name);
    const aug = JSON.parse(
      calign(
        "augment",
        "--input",
        f("train.jsonl"),
        "--output",
        f("aug.jsonl"),
        "--source",
        "rules",
        "--n",
        "3",
      ),
    );
    assert.equal(aug.groups, 8);
    assert.ok(aug.kept > 0);
    assert.ok(existsSync(f("aug.jsonl.summary.json")));
    const groups = lines(f("aug.jsonl"));
    assert.ok(groups.every((g: { variants: { origin: string }[] }) => g.variants[0]?.origin === "original"));
    assert.ok(groups.some((g: { variants: unknown[] }) => g.variants.length > 1));

    calign(
      "sample",
      "--input",
      f("aug.jsonl"),
      "--output",
      f("samples.jsonl"),
      ...onModel(dir),
      "--k",
      "2",
      "--max-tokens",
      "6",
      "--temperature",
      "1.5",
    );
    const sets = lines(f("samples.jsonl"));
    assert.ok(sets.every((s: { candidates: string[] }) => s.candidates.length === 2));

    const health = JSON.parse(
      calign("reward", "--input", f("samples.jsonl"), "--output", f("rewards.jsonl"), ...onModel(dir)),
    );
    assert.equal(health.method, "judge");
    assert.equal(health.candidates, sets.length * 2);
    assert.ok(
      lines(f("rewards.jsonl")).every((s: { rewards: number[] }) => s.rewards.every((r) => r > 0 && r < 1)),
    );

    const pairs = JSON.parse(
      calign("pairs", "--input", f("rewards.jsonl"), "--output", f("pairs.jsonl"), "--min-gap", "0"),
    );
    assert.ok(pairs.pairs > 0);
    const p = lines(f("pairs.jsonl"))[0];
    assert.ok(typeof p.prompt === "string" && typeof p.chosen === "string" && typeof p.rejected === "string");

    const table = JSON.parse(
      calign(
        "evaluate",
        "--input",
        f("eval.jsonl"),
        "--output",
        f("eval"),
        "--systems",
        `a=${dir},b=${dir}`,
        "--device",
        TEST_DEVICE,
        "--max-tokens",
        "6",
        "--bootstrap",
        "20",
      ),
    );
    assert.deepEqual(Object.keys(table), ["a", "b"]);
    // The same model twice: identical figures.
    assert.deepEqual(table.a, table.b);
    assert.ok(existsSync(f("eval/a.responses.jsonl")) && existsSync(f("eval/b.metrics.json")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 item 8: evaluate on a truncated safetensors file is a clean error naming the file", () => {
  const { dir } = pipelineFixture(24);
  try {
    const weights = join(dir, "model.safetensors");
    truncateSync(weights, Math.floor(statSync(weights).size / 2));
    const out = join(dir, "eval");
    const r = calignResult(
      "evaluate",
      "--input",
      join(dir, "eval.jsonl"),
      "--output",
      out,
      "--systems",
      `base=${dir}`,
    );
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^calign evaluate: ${weights}: tensor "[^"]+": data_offsets end \\d+ is past the end of the data \\(\\d+ bytes\\)\\n$`,
      ),
    );
    assert.equal(existsSync(out), false, "no output folder");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
