// A command's results go to standard output as they come, or to --output FILE, which appears only
// when complete (written atomically).
import { streamTextAtomic } from "../util/atomic-write.js";
import { type CommandOutput, processOutput } from "./command-output.js";

export async function writeOutput(
  output: string | undefined,
  body: (emit: (text: string) => Promise<void>) => Promise<void>,
  io: CommandOutput = processOutput,
): Promise<void> {
  if (output === undefined) await body((text) => io.stdout(text));
  else await streamTextAtomic(output, (out) => body((text) => out.write(text)));
}

/** JSONL lines, all known in advance, to the file or standard output. */
export function writeLines(output: string | undefined, lines: readonly string[]): Promise<void> {
  return writeOutput(output, (emit) => emit(lines.join("")));
}
