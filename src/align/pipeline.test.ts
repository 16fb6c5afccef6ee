// `calign run` end to end on a tiny model: every stage and the report; a rerun skips finished stages;
// a changed setting reruns only the stages downstream of it; kill -9 inside training, then a rerun,
// finishes without redoing the stages already done; a run does only the stages its systems need; bad
// configs are named; a sweep's values copy the stages they share; an instruction left without paraphrases
// is warned about.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";
import type { JudgeHealth } from "./judge-health.js";
import type { Manifest } from "./manifest.js";
import type { PairSummary } from "./pairs.js";
import { STAGES } from "./run-schema.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const calign = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;

test("the whole pipeline runs, reports, and reruns only what changed", () => {
  const { dir, config } = pipelineFixture(11);
  try {
    const out = join(dir, "run");
    const r = calign("run", config, "--output", out);
    assert.equal(r.status, 0, r.stderr);
    const m = manifestOf(out);
    for (const s of STAGES) assert.equal(m.stages[s]?.status, "done", s);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    assert.deepEqual(
      report.systems.map((s: { name: string }) => s.name),
      ["base", "sft", "sft_ia", "cat"],
    );
    assert.equal(report.comparisons.length, 3);
    assert.ok(report.examples.length > 0);
    assert.ok(readFileSync(join(out, "report.html"), "utf8").includes('id="main-table"'));
    assert.ok(existsSync(join(out, "config.effective.yaml")));
    for (const s of ["sft", "sft_ia", "cat"]) assert.ok(existsSync(join(out, s, "model", "config.json")), s);

    // Stage 1 taught the judge: both systems trained on the same verification examples, 2 per item.
    const verification = (s: string) => (m.stages[s]!.summary as { verification: unknown }).verification;
    assert.deepEqual(verification("sft"), {
      examples: 16,
      yes: 8,
      no: 8,
      items: 8,
      noReferences: 0,
      noWrongAnswer: 0,
      tooLong: 0,
      nearMisses: 4,
    });
    assert.deepEqual(verification("sft_ia"), verification("sft"));
    const judged = (s: string) =>
      readFileSync(join(out, s, "data.jsonl"), "utf8")
        .trim()
        .split("\n")
        .filter((l) => /"completion":"(Yes|No)"/.test(l));
    assert.equal(judged("sft").length, 16);
    assert.deepEqual(judged("sft_ia"), judged("sft"));
    // The reward stage measured its judge against the checker on every candidate (all items have references).
    const health = m.stages.reward?.summary as JudgeHealth;
    assert.equal(health.method, "judge");
    assert.equal(health.checker?.candidates, health.candidates);
    assert.equal(typeof health.checker?.agreement, "number");
    assert.ok(health.checker?.auc === null || (health.checker!.auc >= 0 && health.checker!.auc <= 1));
    assert.equal(typeof health.meanRange, "number");
    assert.equal(report.judge.checker.candidates, health.candidates);
    assert.ok(Array.isArray(report.judge.warnings));
    assert.ok(readFileSync(join(out, "report.html"), "utf8").includes('id="judge-health"'));
    // The pairs stage checked every pair against the references: its shares partition the pairs.
    const pairs = m.stages.pairs?.summary as PairSummary;
    const c = pairs.checker!;
    assert.equal(c.checked, pairs.pairs);
    assert.ok(Math.abs(c.rightOverWrong + c.wrongOverRight + c.bothWrong + c.bothRight - 1) < 1e-12);
    assert.ok(Math.abs(c.chosenCorrect - (c.rightOverWrong + c.bothRight)) < 1e-12);
    assert.deepEqual(report.pairs, [c]);

    const again = calign("run", config, "--output", out);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((again.stderr.match(/skipped/g) ?? []).length, STAGES.length);

    const changed = calign("run", config, "--output", out, "--cat.beta", "0.3");
    assert.equal(changed.status, 0, changed.stderr);
    const skipped = [...changed.stderr.matchAll(/^(\w+): done before/gm)].map((x) => x[1]);
    assert.deepEqual(skipped, ["augment", "sft", "sft_ia", "sample", "reward", "pairs"]);
    assert.notEqual(manifestOf(out).stages.cat?.key, m.stages.cat?.key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kill -9 inside SFT(IA) training, then rerun: finishes without redoing finished stages", async () => {
  const { dir, config } = pipelineFixture(12);
  try {
    const out = join(dir, "run");
    const child = spawn(process.execPath, [CLI, "run", config, "--output", out], { stdio: "ignore" });
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        const ckpt = join(out, "sft_ia");
        if (existsSync(ckpt) && readdirSync(ckpt).some((n) => /^checkpoint-\d+$/.test(n))) {
          clearInterval(poll);
          child.kill("SIGKILL");
        }
      }, 5);
      child.on("exit", (_code, signal) => {
        clearInterval(poll);
        if (signal === "SIGKILL") resolve();
        else reject(new Error("the run finished before it could be killed"));
      });
    });
    const before = manifestOf(out);
    assert.equal(before.stages.sft?.status, "done");
    assert.equal(before.stages.sft_ia?.status, "running");
    const r = calign("run", config, "--output", out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^sft: done before, inputs unchanged: skipped$/m);
    const after = manifestOf(out);
    assert.equal(after.stages.sft?.finished, before.stages.sft?.finished);
    for (const s of STAGES) assert.equal(after.stages[s]?.status, "done", s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad configs are rejected naming the file, line and key", () => {
  const { dir, config } = pipelineFixture(13);
  try {
    const original = readFileSync(config, "utf8");
    writeFileSync(config, original.replace("sample: { k: 3,", "sample: { k: one,"));
    const typed = calign("run", config, "--output", join(dir, "run"));
    assert.equal(typed.status, 1);
    assert.match(typed.stderr, /^calign run: .*run\.yaml:\d+: sample\.k: must be a number, got "one"$/m);
    writeFileSync(config, `${original}sample: { k: 2 }\n`);
    const r = calign("run", config, "--output", join(dir, "run"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^calign run: .*run\.yaml:\d+: \(syntax\): Map keys must be unique$/m);
    assert.doesNotMatch(r.stderr, / {4}at /);
    const missing = calign("run", config);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /--output RUN_DIR is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run evaluating only some systems does only the stages they need", () => {
  const { dir, config } = pipelineFixture(15);
  try {
    const out = join(dir, "run");
    const r = calign("run", config, "--output", out, "--systems", "base,sft");
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(Object.keys(manifestOf(out).stages).sort(), ["evaluate", "sft"]);
    assert.ok(!existsSync(join(out, "augmented.jsonl")) && !existsSync(join(out, "cat")));
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    assert.deepEqual(
      report.systems.map((s: { name: string }) => s.name),
      ["base", "sft"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--sweep runs one pipeline per value in its own directory; --until stops after a stage", () => {
  const { dir, config } = pipelineFixture(14);
  try {
    const out = join(dir, "sweep");
    const r = calign("run", config, "--output", out, "--sweep", "augment.n=1,3", "--until", "augment");
    assert.equal(r.status, 0, r.stderr);
    for (const n of [1, 3]) {
      const runDir = join(out, `augment.n=${n}`);
      const m = manifestOf(runDir);
      assert.equal(m.stages.augment?.status, "done");
      assert.equal(m.stages.sft, undefined);
      assert.equal((m.config.augment as { n: number }).n, n);
      const groups = readFileSync(join(runDir, "augmented.jsonl"), "utf8").trim().split("\n");
      const variants = JSON.parse(groups[0] as string).variants.length;
      assert.equal(variants, 1 + n);
      assert.equal(m.stages.augment?.copiedFrom, undefined, "another n: augmented again");
    }
    // Nothing evaluated: no sweep report.
    assert.ok(!existsSync(join(out, "report.json")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an instruction left without paraphrases is warned about, naming it, and recorded in the manifest", () => {
  const { dir, config } = pipelineFixture(15);
  try {
    // Every pool wording is a near-duplicate of the instruction, so the filters keep none.
    const pool = join(dir, "echo-pool.json");
    writeFileSync(
      pool,
      JSON.stringify({ reverse: ["Reverse the word!", "reverse the word", "Reverse  the word."] }),
    );
    const out = join(dir, "run");
    const r = calign("run", config, "--output", out, "--augment.pool", pool, "--until", "augment");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /augment: warning: 1 of 1 instructions got no paraphrase.*"Reverse the word\."/);
    const summary = manifestOf(out).stages.augment?.summary as { unparaphrased: string[] };
    assert.deepEqual(summary.unparaphrased, ["Reverse the word."]);
    // The fixture's own pool paraphrases it: no warning.
    const fine = calign("run", config, "--output", join(dir, "fine"), "--until", "augment");
    assert.equal(fine.status, 0, fine.stderr);
    assert.doesNotMatch(fine.stderr, /warning/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a sweep's later values copy the stages whose inputs an earlier value had, run the rest, and evaluate only the systems that changed", () => {
  const { dir, config } = pipelineFixture(15);
  try {
    const out = join(dir, "sweep");
    const sweep = () =>
      calign("run", config, "--output", out, "--sweep", "cat.sft_weight=0,1", "--systems", "sft_ia,cat");
    const r = sweep();
    assert.equal(r.status, 0, r.stderr);
    const [first, second] = [join(out, "cat.sft_weight=0"), join(out, "cat.sft_weight=1")];
    const [a, b] = [manifestOf(first), manifestOf(second)];
    const copied = ["augment", "sft_ia", "sample", "reward", "pairs"] as const;
    for (const s of copied) {
      assert.equal(b.stages[s]?.copiedFrom, first, s);
      assert.equal(b.stages[s]?.key, a.stages[s]?.key, s);
      assert.ok(r.stderr.includes(`${s}: same inputs as in ${first}: copied`), s);
    }
    for (const s of ["cat", "evaluate"] as const) {
      assert.equal(b.stages[s]?.status, "done", s);
      assert.equal(b.stages[s]?.copiedFrom, undefined, s);
      assert.notEqual(b.stages[s]?.key, a.stages[s]?.key, s);
    }
    // The copies are the first value's files, and the second value's stage 2 trained from them.
    for (const f of ["augmented.jsonl", "pairs.jsonl", "sft_ia/model/model.safetensors"])
      assert.ok(readFileSync(join(second, f)).equals(readFileSync(join(first, f))), f);
    // ... but for the trainer's checkpoints, which a finished stage never reads again.
    const checkpoints = (run: string) =>
      readdirSync(join(run, "sft_ia")).filter((n) => n.startsWith("checkpoint-"));
    assert.ok(checkpoints(first).length > 0);
    assert.deepEqual(checkpoints(second), []);
    assert.ok(
      !readFileSync(join(second, "cat/model/model.safetensors")).equals(
        readFileSync(join(first, "cat/model/model.safetensors")),
      ),
    );
    // Its evaluation asked only CAT's model: SFT(IA)'s responses are the first value's, read back.
    const keys = (run: string) => JSON.parse(readFileSync(join(run, "eval", "keys.json"), "utf8"));
    assert.deepEqual(
      Object.values(keys(first)).map((k) => (k as { from: string | null }).from),
      [null, null],
    );
    assert.equal(keys(second).sft_ia.key, keys(first).sft_ia.key);
    assert.equal(keys(second).sft_ia.from, first);
    assert.equal(keys(second).cat.from, null);
    assert.notEqual(keys(second).cat.key, keys(first).cat.key);
    const responses = (run: string, s: string) =>
      readFileSync(join(run, "eval", `${s}.responses.jsonl`), "utf8");
    assert.equal(responses(second, "sft_ia"), responses(first, "sft_ia"));
    // Rerun: every stage is now the second value's own, and skipped as done.
    const again = sweep();
    assert.equal(again.status, 0, again.stderr);
    assert.ok(!again.stderr.includes("copied"), again.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
