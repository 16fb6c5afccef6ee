// The one error path of every command: a failure is one line, `calign <command>: <message>` (the
// message names the file, line, field or option), for a non-zero status; its stack trace only with
// the global --debug flag. An error the user cannot fix says so, and how to get the stack.
import { UsageError } from "./command.js";

export const DEBUG_FLAG = "--debug";

// What the user can fix: bad flags, config, data or model files, a backend lacking a capability or
// failing after its retry budget, a run folder another run holds, a lost peer of a distributed job.
// Matched by name, which survives worker boundaries.
const USER_ERRORS = new Set([
  "UsageError",
  "ConfigError",
  "DeviceError",
  "DataError",
  "ModelFileError",
  "CapabilityError",
  "BackendHttpError",
  "BackendSetupError",
  "FolderInUseError",
  "CollectiveError",
]);

let debug = false;

/** Set once by the entry point from --debug: failures then print their stack traces. */
export function showStackTraces(on: boolean): void {
  debug = on;
}

/** A mistake in the command line itself (not in a file it names): a usage error or a bad flag's value. */
function onCommandLine(err: Error): boolean {
  const source = (err as { source?: unknown }).source;
  return err.name === "UsageError" || (err.name === "ConfigError" && String(source).startsWith("-"));
}

/** The usage lines at the top of a command's help (up to its first blank line). */
function usageOf(help: string): string {
  const end = help.indexOf("\n\n");
  return end < 0 ? help : help.slice(0, end);
}

/**
 * The text a failed command prints on stderr; with the command's help, a mistake on the command line
 * also shows its usage lines, so the fix is on screen.
 */
export function failureText(command: string, err: unknown, help?: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (debug) return `calign ${command}: ${err instanceof Error ? err.stack : message}\n`;
  if (err instanceof UsageError || (err instanceof Error && USER_ERRORS.has(err.name))) {
    const usage =
      help !== undefined && onCommandLine(err)
        ? `${usageOf(help)}\n(calign ${command} --help lists every option)\n`
        : "";
    return `calign ${command}: ${message}\n${usage}`;
  }
  const name = err instanceof Error ? err.name : "Error";
  return `calign ${command}: ${name}: ${message} (an internal error; run with ${DEBUG_FLAG} for the stack trace)\n`;
}
