// `calign sample`, `reward` and `evaluate` across 2 ranks (calign launch, Gloo) write the files a single
// process writes, byte for byte: the ranks share the batches, rank 0 gathers them in order and writes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { freePort } from "../../../test/helpers/free-port.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";

const CLI = new URL("../../../../bin/calign.js", import.meta.url).pathname;

// One BLAS thread, as calign launch gives each of 2 ranks on 2 cores: float results (and so sampled
// tokens) can depend on how BLAS splits its work.
const env = { ...process.env, OMP_NUM_THREADS: "1" };

function calign(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env });
  assert.equal(r.status, 0, `calign ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("calign sample, reward and evaluate on 2 ranks write the single process's files", {
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
      ...["--max_tokens", "6", "--temperature", "1.5"],
    ];
    const one = calign(...sample("one.jsonl"));
    const port = String(await freePort());
    const two = calign(
      "launch",
      "--nproc-per-node",
      "2",
      "--master-port",
      port,
      "--",
      ...sample("two.jsonl"),
    );
    assert.equal(JSON.parse(two).sets, JSON.parse(one).sets, "rank 0 alone prints the summary");
    const sets = readFileSync(f("one.jsonl"), "utf8").trim().split("\n");
    assert.ok(sets.length > 16, `${sets.length} sets: more than one batch`);
    assert.ok(readFileSync(f("two.jsonl")).equals(readFileSync(f("one.jsonl"))), "files differ");

    // Self-reward (P("Yes") judge) of the sampled candidates: 32 score items per batch, several batches.
    const reward = (out: string) => ["reward", "--input", f("one.jsonl"), "--output", f(out), "--model", dir];
    const health = calign(...reward("rewards-one.jsonl"));
    assert.equal(
      calign(
        "launch",
        "--nproc-per-node",
        "2",
        "--master-port",
        String(await freePort()),
        "--",
        ...reward("rewards-two.jsonl"),
      ),
      health,
    );
    assert.ok(
      readFileSync(f("rewards-two.jsonl")).equals(readFileSync(f("rewards-one.jsonl"))),
      "rewards differ",
    );

    // Greedy responses in batches of 3 (several per rank), then the figures.
    const evaluate = (out: string) => [
      "evaluate",
      ...["--input", f("eval.jsonl"), "--output", f(out), "--systems", `a=${dir}`, "--batch", "3"],
      ...["--max_tokens", "6", "--bootstrap", "20"],
    ];
    const table = calign(...evaluate("eval-one"));
    assert.equal(
      calign(
        "launch",
        "--nproc-per-node",
        "2",
        "--master-port",
        String(await freePort()),
        "--",
        ...evaluate("eval-two"),
      ),
      table,
    );
    assert.deepEqual(readdirSync(f("eval-two")).sort(), readdirSync(f("eval-one")).sort());
    for (const name of readdirSync(f("eval-one")))
      assert.ok(
        readFileSync(join(f("eval-two"), name)).equals(readFileSync(join(f("eval-one"), name))),
        `${name} differs`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
