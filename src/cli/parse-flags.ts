// Every command parses its flags the same way: strict (unknown flags are errors), and any parse error
// becomes a UsageError, so the CLI prints it without a stack trace and exits 1.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./command.js";

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends FlagOptions, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>
>;

/** argv parsed against `options`; positionals allowed only when `positionals` is true. */
export function parseFlags<const O extends FlagOptions, const P extends boolean = false>(
  argv: string[],
  options: O,
  positionals?: P,
): Parsed<O, P> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals as P });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
