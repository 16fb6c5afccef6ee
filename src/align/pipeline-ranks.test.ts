// `calign run` launched as 2 ranks over Gloo: the training stages train data-parallel (weights within
// float tolerance of one process's), the embedded stages share their items and write, from the same
// models, the very files one process writes; rank 0 alone prints and writes. A rank killed inside
// training makes the other exit non-zero naming it, within its timeout. Under torchrun, whose agent hosts
// the store, the trainers' groups nest in the run's as well.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { killRankOneAtCheckpoint, launchTwoRanks } from "../../test/helpers/dist-ranks.js";
import { NO_GLOO } from "../../test/helpers/no-gloo.js";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";
import { PYTHON, torchUnavailable } from "../../test/helpers/torch-python.js";
import { largestWeightDifference } from "../../test/helpers/weight-difference.js";
import { freePort } from "../distributed/free-port.js";
import type { Manifest } from "./manifest.js";
import { STAGES } from "./run-schema.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
// One BLAS thread in every process, so one process and each rank sum in the same order.
const ENV = { ...process.env, OMP_NUM_THREADS: "1" };
// The same flags for every run (a training section's dist_timeout is part of its stage's key).
const ARGS = [
  "--sft.max-steps",
  "4",
  "--dist-timeout",
  "60",
  "--sft.dist-timeout",
  "60",
  "--cat.dist-timeout",
  "60",
];
// Two ranks sum a step's gradients in another order. Adam divides by √v + 1e-8, so for a gradient near
// 1e-8 that float noise moves the weight by a fraction of a step: the bound is 1% of the fixture's
// learning rate (3e-3), far below what one step on other data moves.
const WEIGHT_TOLERANCE = 0.01 * 3e-3;
const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;
/** The files the embedded stages write (and pairs, from rewards). */
const STAGE_FILES = ["augmented.jsonl", "samples.jsonl", "rewards.jsonl", "pairs.jsonl"];

/** `calign run` with the same options in one process (into `one`), then on 2 ranks (into `two`). */
async function runBoth(config: string, one: string, two: string, extra: string[] = []) {
  const argv = (out: string) => ["run", config, "--output", out, ...ARGS, ...extra];
  const r = spawnSync(process.execPath, [CLI, ...argv(one)], { encoding: "utf8", env: ENV });
  assert.equal(r.status, 0, r.stderr);
  return launchTwoRanks(argv(two), ENV);
}

test("2-rank calign run: trained weights as one process's, stage files byte for byte", {
  skip: NO_GLOO,
  timeout: 120_000,
}, async () => {
  const { dir, config } = pipelineFixture(15);
  try {
    const [one, two] = [join(dir, "one"), join(dir, "two")];
    const r = await runBoth(config, one, two);
    const m = manifestOf(two);
    for (const s of STAGES) assert.equal(m.stages[s]?.status, "done", s);
    assert.equal(r.stdout.split(`${two}/report.html`).length - 1, 1, "rank 0 alone prints the report");
    for (const s of STAGES) assert.equal(r.stderr.split(`${s} done in`).length - 1, 1, `${s}: one progress`);
    assert.ok(existsSync(join(two, "report.html")));
    assert.deepEqual(readdirSync(two).sort(), readdirSync(one).sort());
    for (const s of ["sft", "sft_ia", "cat"]) {
      const file = join(s, "model", "model.safetensors");
      const diff = largestWeightDifference(join(one, file), join(two, file));
      assert.ok(diff < WEIGHT_TOLERANCE, `${s}: largest weight difference ${diff}`);
    }
    assert.equal(
      readFileSync(join(two, "augmented.jsonl"), "utf8"),
      readFileSync(join(one, "augmented.jsonl"), "utf8"),
    );

    // The embedded stages again on 2 ranks, from one process's models: what they write is what it wrote.
    const again = join(dir, "again");
    cpSync(one, again, { recursive: true });
    const manifest = manifestOf(again);
    for (const s of ["sample", "reward", "pairs", "evaluate"] as const) {
      const entry = manifest.stages[s];
      if (entry !== undefined) manifest.stages[s] = { ...entry, status: "running" };
    }
    writeFileSync(join(again, "manifest.json"), JSON.stringify(manifest));
    for (const f of [...STAGE_FILES.slice(1), "eval"]) rmSync(join(again, f), { recursive: true });
    const rerun = await launchTwoRanks(["run", config, "--output", again, ...ARGS], ENV);
    const skipped = [...rerun.stderr.matchAll(/^(\w+): done before/gm)].map((x) => x[1]);
    assert.deepEqual(skipped, ["augment", "sft", "sft_ia", "cat"]);
    const evals = readdirSync(join(one, "eval")).map((f) => join("eval", f));
    assert.equal(evals.length, 9); // 4 systems × responses and metrics, and keys.json
    for (const f of [...STAGE_FILES, ...evals])
      assert.ok(readFileSync(join(again, f)).equals(readFileSync(join(one, f))), `${f} differs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a sweep under a launch: one run per value, one after another, each as one process's", {
  skip: NO_GLOO,
  timeout: 120_000,
}, async () => {
  const { dir, config } = pipelineFixture(17);
  try {
    const [one, two] = [join(dir, "one"), join(dir, "two")];
    const launched = await runBoth(config, one, two, ["--sweep", "augment.n=1,3", "--until", "sft"]);
    for (const n of [1, 3]) {
      const run = `augment.n=${n}`;
      const m = manifestOf(join(two, run));
      assert.deepEqual(
        STAGES.map((s) => m.stages[s]?.status ?? null),
        ["done", "done", null, null, null, null, null, null],
      );
      const file = join(run, "augmented.jsonl");
      assert.equal(readFileSync(join(two, file), "utf8"), readFileSync(join(one, file), "utf8"));
      const weights = join(run, "sft", "model", "model.safetensors");
      const diff = largestWeightDifference(join(one, weights), join(two, weights));
      assert.ok(diff < WEIGHT_TOLERANCE, `${run}: largest weight difference ${diff}`);
      assert.equal(launched.stdout.split(`${join(two, run)}/report.html`).length - 1, 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("under torchrun (its agent hosts the store) a trainer's group nests in the run's too", {
  skip: NO_GLOO,
  timeout: 90_000,
}, async (t) => {
  const why = torchUnavailable();
  if (why !== null) return t.skip(why);
  const { dir, config } = pipelineFixture(18);
  try {
    const out = join(dir, "run");
    // Debian's torchrun 1.13 on Python 3.11 needs -r 1 -t 1 (redirects and tee) to start.
    const torchrun = ["-m", "torch.distributed.run", "--no_python", "-r", "1", "-t", "1"];
    const port = String(await freePort());
    const ranks = [...torchrun, "--nproc_per_node", "2", "--master_port", port];
    const argv = [CLI, "run", config, "--output", out, "--until", "sft", ...ARGS];
    const r = spawnSync(PYTHON, [...ranks, ...argv], { encoding: "utf8", env: ENV });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(manifestOf(out).stages.sft?.status, "done");
    assert.equal(r.stdout.split(`${out}/report.html`).length - 1, 1, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a rank killed inside a training stage: calign run fails on the other, naming it", {
  skip: NO_GLOO,
  timeout: 120_000,
}, async () => {
  const { dir, config } = pipelineFixture(16);
  try {
    const out = join(dir, "run");
    const survivor = await killRankOneAtCheckpoint(
      [CLI, "run", config, "--output", out, "--dist-timeout", "20", "--sft.dist-timeout", "20"],
      join(out, "sft"),
    );
    assert.equal(survivor.code, 1, survivor.stderr);
    assert.match(survivor.stderr, /^calign run: .*lost rank 1/m);
    assert.equal(manifestOf(out).stages.sft?.status, "running");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
