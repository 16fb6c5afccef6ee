// A rank killed (kill -9) in the middle of a 2-rank `calign sft`: the surviving rank exits non-zero
// within its timeout with an error naming the lost rank, and leaves no final model; rerunning with
// --resume from the last checkpoint ends with the uninterrupted 2-rank run's weights, bit for bit.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { killRankOneAtCheckpoint, launchTwoRanks } from "../../test/helpers/dist-ranks.js";
import { NO_GLOO } from "../../test/helpers/no-gloo.js";
import { writeReverseWords } from "../../test/helpers/reverse-words.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("a rank killed mid-run: the other fails naming it; --resume ends as the uninterrupted run", {
  skip: NO_GLOO,
  timeout: 300_000,
}, async () => {
  const { dir } = tinyModelDir(33);
  try {
    const data = join(dir, "data.jsonl");
    writeReverseWords(data);
    const args = (out: string) => [
      "sft",
      ...["--model", dir, "--data", data, "--output", out, "--epochs", "40", "--batch-size", "3"],
      ...["--gradient-accumulation", "2", "--learning-rate", "1e-3", "--save-steps", "5"],
      ...["--dist-timeout", "20"],
    ];
    await launchTwoRanks(args(join(dir, "full")));

    const cut = join(dir, "cut");
    const survivor = await killRankOneAtCheckpoint([CLI, ...args(cut)], cut);
    assert.equal(survivor.code, 1, survivor.stderr);
    assert.match(survivor.stderr, /lost rank 1/);
    assert.ok(!existsSync(join(cut, "model")), "no final model after a lost rank");
    assert.deepEqual(
      readdirSync(cut).filter((n) => n.startsWith(".")),
      [],
      "no half-written checkpoint or model",
    );

    await launchTwoRanks([...args(cut), "--resume"]);
    const weights = (out: string) => readFileSync(join(out, "model", "model.safetensors"));
    assert.ok(weights(join(dir, "full")).equals(weights(cut)), "resumed weights differ");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
