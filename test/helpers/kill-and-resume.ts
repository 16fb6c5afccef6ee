// The kill -9 / --resume scaffolding of the training commands' resume tests: run a CLI command to the
// end, run it again killed at its first checkpoint, and resume it; the final weights must match.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Runs node with args to completion; asserts exit 0 and returns its standard output. */
export function runToEnd(args: string[]): string {
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Starts node with args and kills it (SIGKILL) once `out` holds a checkpoint-N folder. */
export function killAtFirstCheckpoint(args: string[], out: string): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: "ignore" });
  return new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const hasCheckpoint = existsSync(out) && readdirSync(out).some((n) => /^checkpoint-\d+$/.test(n));
      if (hasCheckpoint) {
        clearInterval(poll);
        child.kill("SIGKILL");
      }
    }, 5);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`run finished (code ${code}) before it could be killed`));
    });
  });
}

/** The two runs' final model/model.safetensors are byte for byte the same. */
export function assertSameWeights(fullDir: string, resumedDir: string): void {
  const a = readFileSync(join(fullDir, "model", "model.safetensors"));
  const b = readFileSync(join(resumedDir, "model", "model.safetensors"));
  assert.ok(a.equals(b), "resumed weights differ from the uninterrupted run");
}
