// One run per folder: a run holds `.calign.lock` in the folder it writes, naming its pid and start
// time, so a second run in the same folder stops with an error naming the holder instead of writing
// beside it. The lock appears whole or not at all (written aside, then hard-linked into place, which
// fails if it exists). A lock whose holder is gone (killed, or its pid now another process) is stale
// and taken over.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive, processStart } from "./process-identity.js";
import { tempPathBeside } from "./temp-path.js";

export const LOCK_FILE = ".calign.lock";

/** The folder is held by another live run. */
export class FolderInUseError extends Error {
  override name = "FolderInUseError";
}

interface Holder {
  pid: number;
  start: string | null;
  command: string;
  since: string;
}

/** The lock's holder, or null when there is no lock (any more). */
function readHolder(path: string): Holder | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Holder;
    if (Number.isInteger(h.pid)) return h;
  } catch {}
  throw new FolderInUseError(`${path}: not a calign lock; remove it if no run uses this folder`);
}

const sameHolder = (a: Holder | null, b: Holder) => a !== null && a.pid === b.pid && a.start === b.start;

/** Creates the lock file from `text` if none exists; false if one does. */
function createLock(path: string, text: string): boolean {
  const aside = tempPathBeside(path);
  writeFileSync(aside, text);
  try {
    linkSync(aside, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return false;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Takes `dir`'s lock for `command` (creating the folder), taking over a stale one; returns the release.
 * Throws FolderInUseError while another live process holds it.
 */
export function lockFolder(dir: string, command: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    start: processStart(process.pid),
    command,
    since: new Date().toISOString(),
  };
  const text = `${JSON.stringify(me)}\n`;
  // Each turn either takes the lock, finds a live holder, or removes one stale lock; a few turns
  // cover a lock released or taken over by another run between the steps.
  for (let turn = 0; turn < 5; turn++) {
    if (createLock(path, text)) return () => releaseLock(path, me);
    const holder = readHolder(path);
    if (holder === null) continue;
    if (processAlive(holder.pid, holder.start))
      throw new FolderInUseError(
        `${dir} is in use by ${holder.command} (pid ${holder.pid}, since ${holder.since}); wait for it to finish or stop it, or use another folder`,
      );
    // Stale. Read again just before removing it, so a lock another run has just taken over is kept.
    if (sameHolder(readHolder(path), holder)) rmSync(path, { force: true });
  }
  throw new FolderInUseError(`${dir}: could not take ${LOCK_FILE}: other runs keep taking it`);
}

function releaseLock(path: string, me: Holder): void {
  if (sameHolder(readHolder(path), me)) rmSync(path, { force: true });
}

/** Runs `body` holding `dir`'s lock (see lockFolder), released however `body` ends. */
export async function withFolderLock<T>(dir: string, command: string, body: () => Promise<T>): Promise<T> {
  const release = lockFolder(dir, command);
  try {
    return await body();
  } finally {
    release();
  }
}
