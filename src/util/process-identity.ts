// Whether the process that left something behind (a run folder's lock, a temporary file) still runs.
// A pid alone can be reused after its process died, so a holder is named by its pid and its start
// time (Linux: clock ticks after boot, /proc/PID/stat field 22); where /proc is absent only the pid
// is checked.
import { readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the command name, or null (no such process, or no /proc). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; split after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** When process `pid` started (an opaque token that differs between processes), or null if unknown. */
export function processStart(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Whether `pid` runs, and, when `start` is given and known here, is the same process that started then. */
export function processAlive(pid: number, start: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it runs, under another user.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const fields = statFields(pid);
  if (fields === null) return true;
  // A zombie has finished: only its exit status waits to be collected.
  if (fields[0] === "Z") return false;
  return start === null || fields[19] === start;
}
