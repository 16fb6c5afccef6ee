// Reference outputs kept apart from the responses, in the Super-NaturalInstructions scorer's reference
// format: JSONL of {"id", "references": [...]} (other fields, such as task_id or track, are ignored), so
// any calign group file serves as well.
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";
import { UniqueIds } from "./group-reader.js";
import { type ReadOptions, readJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

export function parseReferences(value: unknown, at: Location): { id: string; references: string[] } {
  const f = Fields.of(value, at);
  return {
    id: f.string("id", { nonEmpty: true }),
    references: f.stringArray("references", { nonEmpty: true }),
  };
}

/** Reads every item's references into a map by id (joined with responses by id, so it is held whole). */
export async function readReferences(input: Input, options?: ReadOptions): Promise<Map<string, string[]>> {
  const ids = new UniqueIds();
  const out = new Map<string, string[]>();
  for await (const { value, at } of readJsonl(input, options)) {
    const { id, references } = parseReferences(value, at);
    ids.check(id, at);
    out.set(id, references);
  }
  return out;
}
