// `calign ... | head`: when the reader of standard output goes away, the command ends quietly with
// status 0 instead of an EPIPE stack trace.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";

const launcher = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("a closed output pipe ends calign quietly with status 0", async () => {
  // `tasks show` with many instances prints far more than one pipe buffer, so writes hit the closed pipe.
  const child = spawn(process.execPath, [launcher, "tasks", "show", "more-letters", "--count", "5000"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdout.once("data", () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  assert.equal(stderr, "");
  assert.equal(status, 0);
});
