// `calign sample`, `reward` and `evaluate` across 2 ranks (calign launch, Gloo) write the files a single
// process writes, byte for byte: the ranks share the batches, rank 0 gathers them in order and writes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { NO_GLOO } from "../../../test/helpers/no-gloo.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { freePort } from "../../distributed/free-port.js";

const CLI = new URL("../../../../bin/calign.js", import.meta.url).pathname;

// One BLAS thread, as calign launch gives each of 2 ranks on 2 cores: float results (and so sampled
// tokens) can depend on how BLAS splits its work.
const env = { ...process.env, OMP_NUM_THREADS: "1" };

function calign(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env });
  assert.equal(r.status, 0, `calign ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Runs the stage in one process and on 2 ranks; the printed summaries must be the same. */
async function runBoth(argv: (out: string) => string[], one: string, two: string): Promise<void> {
  const summary = calign(...argv(one));
  const port = String(await freePort());
  const launched = calign("launch", "--nproc-per-node", "2", "--master-port", port, "--", ...argv(two));
  assert.equal(launched, summary, "rank 0 alone prints the summary, the single process's");
}

const sameBytes = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));

test("calign sample, reward and evaluate on 2 ranks write the single process's files", {
  skip: NO_GLOO,
  timeout: 300_000,
}, async () => {
  const { dir } = pipelineFixture(22);
  try {
    const f = (name: string) => join(dir, name);
    // 8 groups × 4 wordings: 32 prompts, 2 batches of 16, one per rank.
    const rulesAugment = ["--source", "rules", "--n", "3"];
    calign("augment", "--input", f("train.jsonl"), "--output", f("aug.jsonl"), ...rulesAugment);
    const sample = (out: string) => [
      "sample",
      ...["--input", f("aug.jsonl"), "--output", f(out), "--model", dir, "--k", "2"],
      ...["--max-tokens", "6", "--temperature", "1.5"],
    ];
    await runBoth(sample, "one.jsonl", "two.jsonl");
    const sets = readFileSync(f("one.jsonl"), "utf8").trim().split("\n");
    assert.ok(sets.length > 16, `${sets.length} sets: more than one batch`);
    assert.ok(sameBytes(f("two.jsonl"), f("one.jsonl")), "samples differ");

    // Self-reward (P("Yes") judge) of the sampled candidates: 32 score items per batch, several batches.
    const reward = (out: string) => ["reward", "--input", f("one.jsonl"), "--output", f(out), "--model", dir];
    await runBoth(reward, "rewards-one.jsonl", "rewards-two.jsonl");
    assert.ok(sameBytes(f("rewards-two.jsonl"), f("rewards-one.jsonl")), "rewards differ");

    // Greedy responses in batches of 3 (several per rank), then the figures.
    const evaluate = (out: string) => [
      "evaluate",
      ...["--input", f("eval.jsonl"), "--output", f(out), "--systems", `a=${dir}`, "--batch-size", "3"],
      ...["--max-tokens", "6", "--bootstrap", "20"],
    ];
    await runBoth(evaluate, "eval-one", "eval-two");
    assert.deepEqual(readdirSync(f("eval-two")).sort(), readdirSync(f("eval-one")).sort());
    for (const name of readdirSync(f("eval-one")))
      assert.ok(sameBytes(join(f("eval-two"), name), join(f("eval-one"), name)), `${name} differs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
