// Bad data found while a command works (file:line: field: message) is the user's to fix: the command
// reports it as `calign <name>: ...` on its own stderr and exits 1; any other error propagates.
import { DataError } from "../data/errors.js";
import { type CommandOutput, processOutput } from "./command-output.js";

export async function exitOnDataError(
  command: string,
  body: () => Promise<number>,
  io: CommandOutput = processOutput,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    io.stderr(`calign ${command}: ${err.message}\n`);
    return 1;
  }
}
