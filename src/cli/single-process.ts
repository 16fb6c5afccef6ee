// Commands that do not distribute yet refuse to start as one of several ranks: every rank would do the
// whole job and write the same files, so a launch with more than one rank is an error, not silent waste.
import { rendezvousFromEnv } from "../distributed/index.js";
import { UsageError } from "./command.js";

export function requireSingleProcess(command: string): void {
  const worldSize = rendezvousFromEnv()?.worldSize ?? 1;
  if (worldSize > 1)
    throw new UsageError(
      `${command} does not run data-parallel yet (launched as one of ${worldSize} ranks): start it as one process; run, sft, dpo, pretrain, sample, reward, evaluate, generate and score run across ranks`,
    );
}
