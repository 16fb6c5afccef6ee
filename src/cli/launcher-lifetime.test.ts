// The launcher (bin/calign.js) and the worker it re-executes live and die together: kill -9 of the
// launcher alone, during a command that would otherwise run on, leaves no worker behind.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { processAlive, processStat } from "../util/process-identity.js";

const launcher = new URL("../../../bin/calign.js", import.meta.url).pathname;

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => processStat(p)?.ppid === pid);
}

test("issue 16 item 3: kill -9 of the launcher alone leaves no worker running", {
  skip: !existsSync("/proc/self/stat") && "needs /proc (Linux)",
  timeout: 60_000,
}, async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CALIGN_ENGINE_ENV;
  // `rouge --jsonl` reads standard input until it closes. Its input is a pipe from a process that
  // never writes nor exits (not this test's pipe to the launcher, which Node closes when the launcher
  // dies), so without the launcher's lifeline the worker would wait on for ever.
  const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const launcherProcess = spawn(process.execPath, [launcher, "rouge", "--jsonl"], {
    env,
    stdio: [holder.stdout, "ignore", "ignore"],
  });
  const launcherPid = launcherProcess.pid as number;
  try {
    let workers: number[] = [];
    while (workers.length === 0) {
      await sleep(20);
      workers = childrenOf(launcherPid);
    }
    assert.equal(workers.length, 1);
    const worker = workers[0] as number;
    launcherProcess.kill("SIGKILL");
    // Without the lifeline the worker lives on and this test fails on its timeout.
    while (processAlive(worker)) await sleep(20);
  } finally {
    launcherProcess.kill("SIGKILL");
    holder.kill("SIGKILL");
  }
});
