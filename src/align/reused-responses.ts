// A system's evaluation responses depend on its model, the eval set and the answering settings, not on
// the other systems: so a sweep over a CAT setting, whose evaluate stage reruns for every value (its key
// covers CAT's), answers with SFT and SFT(IA) once and reads their responses from the earlier value.
// Each evaluate stage writes eval/keys.json: every system's responses key, and where they came from.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ParaphraseGroup, readAllGroups } from "../data/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";

/** eval/keys.json: per system, the key of its responses and the run directory they were read from. */
export type ResponseKeys = Record<string, { key: string; from: string | null }>;

/**
 * The responses of `system` that one of `donors` (run directories) wrote under `key`, and which donor;
 * null when none did.
 */
export async function reusedResponses(
  donors: readonly string[],
  system: string,
  key: string,
): Promise<{ from: string; groups: ParaphraseGroup[] } | null> {
  for (const dir of donors) {
    const keysPath = join(dir, "eval", "keys.json");
    const responses = join(dir, "eval", `${system}.responses.jsonl`);
    if (!existsSync(keysPath) || !existsSync(responses)) continue;
    const keys = JSON.parse(readFileSync(keysPath, "utf8")) as ResponseKeys;
    if (keys[system]?.key === key) return { from: dir, groups: await readAllGroups(responses) };
  }
  return null;
}

export function writeResponseKeys(evalDir: string, keys: ResponseKeys): void {
  writeJsonAtomicSync(join(evalDir, "keys.json"), keys);
}
