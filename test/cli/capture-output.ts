// A CommandOutput that keeps what a command writes, so command tests run in-process.
import type { CommandOutput } from "../../src/cli/command-output.js";

export function captureOutput(): CommandOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    async stdout(text) {
      out.push(text);
    },
    stderr(text) {
      err.push(text);
    },
  };
}
