// The one error path (failure.ts, used by main.ts and calign check): a user's mistake is one line
// naming what to fix; an internal error is one line saying how to get the stack; --debug prints the
// stack; all exit non-zero.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { ConfigError } from "../config/index.js";
import { ModelFileError } from "../io/model-file-error.js";
import { UsageError } from "./command.js";
import { failureText, showStackTraces } from "./failure.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const calign = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("issue 16 item 8: user errors are one line; internal errors point to --debug; --debug shows the stack", () => {
  assert.equal(
    failureText("run", new UsageError("--output RUN_DIR is required")),
    "calign run: --output RUN_DIR is required\n",
  );
  assert.equal(
    failureText("run", new ConfigError("run.yaml:3", "model", "no such file or folder: m")),
    "calign run: run.yaml:3: model: no such file or folder: m\n",
  );
  // A worker's error arrives as a plain Error carrying the class's name.
  const fromWorker = Object.assign(new Error("m/model.safetensors: truncated"), { name: "ModelFileError" });
  assert.equal(failureText("evaluate", fromWorker), "calign evaluate: m/model.safetensors: truncated\n");
  assert.equal(
    failureText("evaluate", new TypeError("x is undefined")),
    "calign evaluate: TypeError: x is undefined (an internal error; run with --debug for the stack trace)\n",
  );
  showStackTraces(true);
  const debug = failureText("evaluate", new ModelFileError("m", "bad"));
  showStackTraces(false);
  assert.match(debug, /^calign evaluate: ModelFileError: m: bad\n {4}at /);
});

test("issue 16 item 8: --sweep without a key is a usage error; --debug anywhere adds the stack", () => {
  const plain = calign("run", "run.yaml", "--output", "x", "--sweep", "=1");
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /^calign run: --sweep: =1: expected KEY=V1,V2,\.\.\.\nUsage: calign run /);
  for (const args of [
    ["--debug", "run", "run.yaml", "--output", "x", "--sweep", "=1"],
    ["run", "run.yaml", "--debug", "--output", "x", "--sweep", "=1"],
  ]) {
    const debug = calign(...args);
    assert.equal(debug.status, 1);
    assert.match(debug.stderr, /^calign run: ConfigError: --sweep: =1: expected KEY=V1,V2,...\n {4}at /);
  }
});
