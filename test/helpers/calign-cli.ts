// The calign command line in tests: a run that must succeed (its stdout), a run in a child process
// while the test serves or signals it (its exit code and stderr), and a JSONL file's records.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));

/** Runs calign to the end, whatever its exit status: its status, stdout and stderr. */
export function calignResult(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

/** Runs calign to the end; fails the test unless it exits 0. */
export function calign(...args: string[]): string {
  const r = calignResult(...args);
  assert.equal(r.status, 0, `calign ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/**
 * calign in a child process, without the launcher's re-exec so `started` gets the pid of calign
 * itself (to signal it); resolves to its exit code and standard error.
 */
export function calignAsync(
  args: string[],
  started?: (pid: number) => void,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, CALIGN_ENGINE_ENV: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  started?.(child.pid!);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

/** The records of a JSONL file, as parsed (untyped, like JSON.parse). */
export function jsonLines(file: string) {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}
