// The shape every calign subcommand has: one file per command under cli/commands/.
import type { Schema } from "../config/index.js";

export interface Command {
  /** The word after `calign`. */
  name: string;
  /** One line for `calign --help`. */
  summary: string;
  /** Full text for `calign <name> --help`: usage, every option with its default. */
  help: string;
  /** Every option the command parses: flags, config keys, types, defaults and help in one place. */
  options: Schema;
  /** Runs the command; resolves to the process exit code (0 ok, 1 error, 100 threshold failed). */
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad user input; the CLI prints the message (no stack) and exits 1. */
export class UsageError extends Error {
  override name = "UsageError";
}
