// Where a command writes: the process's streams, or a test's buffers (so command tests run in-process).
import { once } from "node:events";

export interface CommandOutput {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
}

export const processOutput: CommandOutput = {
  async stdout(text) {
    if (!process.stdout.write(text)) await once(process.stdout, "drain");
  },
  stderr(text) {
    process.stderr.write(text);
  },
};
