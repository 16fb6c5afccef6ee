// The temporary file an atomic write fills before renaming it over its target: hidden, in the same
// folder (so the rename stays on one file system), and unique to this process and write. Both atomic
// writers in atomic-write.ts use it.
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
