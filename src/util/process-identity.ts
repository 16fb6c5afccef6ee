// Whether the process that left something behind (a run folder's lock, a temporary file) still runs.
// A pid alone can be reused after its process died, so a holder is named by its pid and its start
// time (Linux: clock ticks after boot, /proc/PID/stat field 22); where /proc is absent only the pid
// is checked.
import { readFileSync } from "node:fs";

/** A process's state letter, parent and start time from /proc/PID/stat; null if gone or no /proc. */
export function processStat(pid: number): { state: string; ppid: number; start: string } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses; split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", ppid: Number(fields[1]), start: fields[19] ?? "" };
}

/** When process `pid` started (an opaque token that differs between processes), or null if unknown. */
export function processStart(pid: number): string | null {
  return processStat(pid)?.start ?? null;
}

/** Whether `pid` runs, and, when `start` is given and known here, is the same process that started then. */
export function processAlive(pid: number, start: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it runs, under another user.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = processStat(pid);
  if (stat === null) return true;
  // A zombie has finished: only its exit status waits to be collected.
  if (stat.state === "Z") return false;
  return start === null || stat.start === start;
}
