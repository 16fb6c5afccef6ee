// The temporary file an atomic write fills before renaming it over its target: hidden, in the same
// folder (so the rename stays on one file system), and unique to this process and write. Both atomic
// writers in atomic-write.ts use it. A killed writer leaves its temporary file behind; the pid in its
// name tells a later run (sweepDeadTemps) whether its writer is gone.
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { processAlive } from "./process-identity.js";

export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes, in `dir` and its subfolders, the temporary files of tempPathBeside whose writer no longer
 * runs (a killed run's); returns their paths. Files of live writers are left alone.
 */
export function sweepDeadTemps(dir: string): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removed.push(...sweepDeadTemps(path));
    else if (entry.isFile()) {
      const pid = TEMP_NAME.exec(entry.name)?.[1];
      if (pid !== undefined && !processAlive(Number(pid))) {
        rmSync(path, { force: true });
        removed.push(path);
      }
    }
  }
  return removed;
}
