// Stages across ranks: the stage's batches are dealt to the ranks in snake order, each computed whole by
// one rank (so every batch, and therefore every result, is what one process computes), then every rank's
// results are gathered back into their original places.
import type { ProcessGroup } from "./process-group.js";

/**
 * Whether this process computes batch number `b` (every batch, without a group). Rounds of one batch a
 * rank are dealt 0…N−1, then N−1…0 (snake order): batches sorted by length (evaluate's windows, scoring)
 * then split more evenly, where dealing 0…N−1 every round gave the last rank the longest batch of each.
 */
export function ownsBatch(group: ProcessGroup | undefined, b: number): boolean {
  if (group === undefined) return true;
  const n = group.worldSize;
  const seat = b % n;
  return (Math.floor(b / n) % 2 === 0 ? seat : n - 1 - seat) === group.rank;
}

// JSON has no infinities, NaN or -0 (a log-probability can be -Infinity): they travel tagged.
const SPECIAL_NUMBER = "$number";

/** Results as bytes; every number, finite or not, decodes to itself. */
export function encodeResults(value: unknown): Uint8Array {
  const tag = (_: string, v: unknown) =>
    typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))
      ? { [SPECIAL_NUMBER]: Object.is(v, -0) ? "-0" : String(v) }
      : v;
  return new TextEncoder().encode(JSON.stringify(value, tag));
}

export function decodeResults<T>(bytes: Uint8Array): T {
  const untag = (_: string, v: unknown) =>
    v !== null && typeof v === "object" && SPECIAL_NUMBER in v
      ? Number((v as Record<string, string>)[SPECIAL_NUMBER])
      : v;
  return JSON.parse(new TextDecoder().decode(bytes), untag) as T;
}

/** Every rank's (index, value) results merged, by index. */
export async function gatherResults<T>(group: ProcessGroup, mine: [number, T][]): Promise<Map<number, T>> {
  const parts = await group.allGatherBytes(encodeResults(mine));
  return new Map(parts.flatMap((p) => decodeResults<[number, T][]>(p)));
}
