// `calign run` against faults and mistakes (issue 16): a path or system name the config gets wrong, or a
// sweep value of the wrong type, stops the run before its first stage with a one-line error and nothing
// written; a run folder (or a sweep's root) another live run holds is refused with its pid; a killed
// run's lock and temporary files are taken over and swept by the rerun.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";
import { LOCK_FILE } from "../util/folder-lock.js";
import { processStart } from "../util/process-identity.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const calign = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

/** A process that lives until killed: the holder of a lock. */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
  await new Promise((resolve) => child.once("spawn", resolve));
  return child;
}

/** The pid of a process that has exited (and been reaped). */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid as number;

test("issue 16 item 8: a missing model or data path stops the run before its first stage", () => {
  const { dir, config } = pipelineFixture(21);
  try {
    const original = readFileSync(config, "utf8");
    const missing = join(dir, "no-such-thing");
    // Each key, its line in the fixture's run.yaml, and the text there naming the path.
    for (const [key, lineNo, from, to] of [
      ["model", 1, `model: ${dir}\n`, `model: ${missing}\n`],
      ["train", 2, join(dir, "train.jsonl"), missing],
      ["augment.pool", 4, join(dir, "pool.json"), missing],
    ] as const) {
      writeFileSync(config, original.replace(from, to));
      const out = join(dir, `run-${key}`);
      const r = calign("run", config, "--output", out);
      assert.equal(r.status, 1, key);
      assert.equal(r.stderr, `calign run: ${config}:${lineNo}: ${key}: no such file or folder: ${missing}\n`);
      assert.equal(existsSync(out), false, `${key}: nothing written`);
    }
    // A path given as a flag is named by its flag.
    writeFileSync(config, original);
    const flag = calign("run", config, "--output", join(dir, "run-flag"), "--eval", join(dir, "nope.jsonl"));
    assert.equal(
      flag.stderr.split("\n")[0],
      `calign run: --eval: eval: no such file or folder: ${join(dir, "nope.jsonl")}`,
    );
    const prompts = calign("run", config, "--output", join(dir, "run-p"), "--prompts", join(dir, "no.jsonl"));
    assert.equal(
      prompts.stderr.split("\n")[0],
      `calign run: --prompts: prompts: no such file or folder: ${join(dir, "no.jsonl")}`,
    );
    // A malformed line in a data file the pipeline reads late (stage 2's prompts, the held-out items)
    // stops the run before its first stage, naming the file, line and field.
    const bad = join(dir, "bad.jsonl");
    const good = readFileSync(join(dir, "train.jsonl"), "utf8").split("\n")[0];
    writeFileSync(bad, `${good}\n{"id":"x","instruction":"Say hi.","input":"","variants":[]}\n`);
    for (const key of ["prompts", "eval"]) {
      const out = join(dir, `run-bad-${key}`);
      const r = calign("run", config, "--output", out, `--${key}`, bad);
      assert.equal(r.status, 1, key);
      assert.match(r.stderr, new RegExp(`^calign run: ${bad}:2: variants: empty group`), key);
      assert.equal(existsSync(out), false, `${key}: nothing written`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 item 9: every sweep value, system name and the answer pattern are checked before the first run", () => {
  const { dir, config } = pipelineFixture(22);
  try {
    const out = join(dir, "sweep");
    const r = calign("run", config, "--output", out, "--sweep", "sft.epochs=1,x");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^calign run: --set sft\.epochs=x: sft\.epochs: .*"x"\nUsage: calign run /);
    assert.equal(existsSync(out), false, "no run started");
    const systems = calign("run", config, "--output", out, "--systems", "base,sft_ai");
    assert.equal(systems.status, 1);
    assert.equal(
      systems.stderr.split("\n")[0],
      "calign run: --systems: systems: unknown system 'sft_ai' (base, sft, sft_ia, cat)",
    );
    assert.equal(existsSync(out), false, "no stage ran");
    const pattern = calign("run", config, "--output", out, "--answer-pattern", "Answer: (.*");
    assert.equal(pattern.status, 1);
    assert.match(
      pattern.stderr.split("\n")[0]!,
      /^calign run: --answer-pattern: answer_pattern: answer pattern \/Answer: \(\.\*\/: Invalid regular expression/,
    );
    assert.equal(existsSync(out), false, "no stage ran");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 items 3 and 10: a held run folder is refused; a killed run's lock and temp files are taken over", async () => {
  const { dir, config } = pipelineFixture(23);
  const holder = await liveProcess();
  try {
    const out = join(dir, "run");
    mkdirSync(join(out, "sft"), { recursive: true });
    const pid = holder.pid as number;
    const lock = (p: number) =>
      writeFileSync(
        join(out, LOCK_FILE),
        JSON.stringify({ pid: p, start: processStart(p), command: "calign run", since: "earlier" }),
      );
    lock(pid);
    const held = calign("run", config, "--output", out, "--until", "augment");
    assert.equal(held.status, 1);
    assert.equal(
      held.stderr,
      `calign run: ${out} is in use by calign run (pid ${pid}, since earlier); wait for it to finish or stop it, or use another folder\n`,
    );
    assert.equal(existsSync(join(out, "config.yaml")), false, "the held folder is left as it was");

    // The holder was killed: its lock and the temporary files it was writing are left behind.
    const dead = deadPid();
    lock(dead);
    const temps = [
      join(out, `.augmented.jsonl.${dead}.0badcafe.tmp`),
      join(out, "sft", `.data.jsonl.${dead}.12345678.tmp`),
    ];
    for (const t of temps) writeFileSync(t, "half");
    const rerun = calign("run", config, "--output", out, "--until", "augment");
    assert.equal(rerun.status, 0, rerun.stderr);
    for (const t of temps) assert.equal(existsSync(t), false, t);
    assert.equal(existsSync(join(out, LOCK_FILE)), false, "released at the end");
    assert.ok(existsSync(join(out, "augmented.jsonl")));
  } finally {
    holder.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a sweep's root another live sweep holds is refused before any value runs, and released after", async () => {
  const { dir, config } = pipelineFixture(24);
  const holder = await liveProcess();
  try {
    const root = join(dir, "sweep");
    mkdirSync(root);
    const pid = holder.pid as number;
    const lock = JSON.stringify({
      pid,
      start: processStart(pid),
      command: "calign run --sweep",
      since: "earlier",
    });
    writeFileSync(join(root, LOCK_FILE), lock);
    const args = ["run", config, "--output", root, "--sweep", "augment.n=1,2", "--until", "augment"];
    const held = calign(...args);
    assert.equal(held.status, 1);
    assert.equal(
      held.stderr,
      `calign run: ${root} is in use by calign run --sweep (pid ${pid}, since earlier); wait for it to finish or stop it, or use another folder\n`,
    );
    assert.deepEqual(readdirSync(root), [LOCK_FILE], "no value ran");
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    // Its holder gone, the sweep takes the root over, runs every value and leaves no lock behind (no
    // value was evaluated, so the root has no table).
    const after = calign(...args);
    assert.equal(after.status, 0, after.stderr);
    assert.deepEqual(readdirSync(root).sort(), ["augment.n=1", "augment.n=2"]);
  } finally {
    holder.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
