// The run directory's manifest: the effective config, versions, and for every stage its status, the key
// of its inputs (config section + input file contents + upstream keys) and its summary. A stage whose
// key is unchanged and status is "done" is skipped on rerun, so `calign run` is idempotent and resumes.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { VERSION } from "../util/version.js";

export interface StageRecord {
  status: "running" | "done";
  key: string;
  started: string;
  finished?: string;
  summary?: unknown;
  /** The run directory whose output of this stage was copied (a sweep's earlier value), if one was. */
  copiedFrom?: string;
}

export interface Manifest {
  calign: string;
  node: string;
  created: string;
  config: Record<string, unknown>;
  stages: Record<string, StageRecord>;
}

export function readManifest(path: string, config: Record<string, unknown>): Manifest {
  if (existsSync(path)) {
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return { ...m, config, calign: VERSION, node: process.version };
  }
  return { calign: VERSION, node: process.version, created: new Date().toISOString(), config, stages: {} };
}

export function writeManifest(path: string, m: Manifest): void {
  writeJsonAtomicSync(path, m);
}

/**
 * What loading a model folder reads: config, weights, tokenizer, chat template, LoRA adapter. A model
 * card, a recipe or a training log beside them is not the model: editing one must not retrain a run.
 */
const MODEL_FILE = /\.(json|safetensors|jinja)$/;

/**
 * sha256 of a file's bytes, or of a model folder's files (names and contents of what loading reads; not
 * its subfolders: a model folder is flat, and outputs written inside it must not change its identity).
 */
export async function contentHash(path: string): Promise<string> {
  const h = createHash("sha256");
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .filter((n) => MODEL_FILE.test(n) && !n.startsWith(".") && statSync(`${path}/${n}`).isFile())
        .map((n) => [n, `${path}/${n}`] as const)
    : [["", path] as const];
  for (const [name, file] of files) {
    h.update(name);
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  }
  return h.digest("hex");
}

export function stageKey(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 20);
}
