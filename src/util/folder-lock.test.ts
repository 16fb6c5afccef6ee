// One run per folder: a live holder's lock stops a second run with its pid; a killed holder's lock,
// or one whose pid now names another process, is taken over; a lock is released by its holder only.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FolderInUseError, LOCK_FILE, lockFolder } from "./folder-lock.js";
import { processStart } from "./process-identity.js";

const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as { pid: number };

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "0"]);
  return r.pid as number;
}

test("issue 16 item 3: a second run in a locked folder gets an error naming the holder's pid", () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-lock-"));
  try {
    const release = lockFolder(dir, "calign run");
    assert.equal(lockOf(dir).pid, process.pid);
    assert.throws(
      () => lockFolder(dir, "calign run"),
      (err: Error) =>
        err instanceof FolderInUseError && err.message.includes(`calign run (pid ${process.pid}, since `),
    );
    release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    lockFolder(dir, "calign run")();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 item 3: a live process holding the lock keeps it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-lock-"));
  const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
  try {
    const pid = holder.pid as number;
    await new Promise((resolve) => holder.once("spawn", resolve));
    const lock = { pid, start: processStart(pid), command: "calign demo", since: "then" };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock));
    assert.throws(() => lockFolder(dir, "calign run"), new RegExp(`in use by calign demo \\(pid ${pid},`));
    assert.equal(lockOf(dir).pid, pid);
  } finally {
    holder.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 16 item 3: a stale lock (holder gone, or its pid reused) is taken over", () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-lock-"));
  try {
    const stale = { pid: deadPid(), start: null, command: "calign run", since: "then" };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(stale));
    const release = lockFolder(dir, "calign run");
    assert.equal(lockOf(dir).pid, process.pid);
    release();
    if (processStart(process.pid) !== null) {
      // This process's pid, recorded with another start time: a dead run whose pid was reused.
      const reused = { pid: process.pid, start: "1", command: "calign run", since: "then" };
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(reused));
      lockFolder(dir, "calign run")();
    }
    writeFileSync(join(dir, LOCK_FILE), "not json");
    assert.throws(() => lockFolder(dir, "calign run"), /\.calign\.lock: not a calign lock/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
