// The launcher (bin/calign.js) and the worker it re-executes live and die together: kill -9 of the
// launcher alone, during a command that would otherwise run on, leaves no worker behind.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

const launcher = new URL("../../../bin/calign.js", import.meta.url).pathname;

/** A process's state letter and parent pid from /proc, or null once it is gone. */
function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state as string, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  const s = procStat(pid);
  return s !== null && s.state !== "Z";
};

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => procStat(p)?.ppid === pid);
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
    while (alive(worker)) await sleep(20);
  } finally {
    launcherProcess.kill("SIGKILL");
    holder.kill("SIGKILL");
  }
});
