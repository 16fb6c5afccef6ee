// Stages across ranks: the stage's batches are dealt round-robin, each computed whole by one rank (so
// every batch, and therefore every result, is what one process computes), then every rank's results are
// gathered back into their original places.
import type { ProcessGroup } from "../distributed/index.js";

/** Whether this process computes batch number `b` (every batch, without a group). */
export function ownsBatch(group: ProcessGroup | undefined, b: number): boolean {
  return group === undefined || b % group.worldSize === group.rank;
}

/** Every rank's (index, value) results merged, by index. */
export async function gatherResults<T>(group: ProcessGroup, mine: [number, T][]): Promise<Map<number, T>> {
  return new Map((await group.allGatherJson(mine)).flat());
}
