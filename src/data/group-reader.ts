// Reading paraphrase groups from any JSONL format: records parsed one by one, ids unique within a file.
import { DataError, type Location } from "./errors.js";
import type { ParaphraseGroup } from "./group.js";
import { type ReadOptions, readJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

/** Rejects a second record with an id already seen, naming the line of the first. */
export class UniqueIds {
  private readonly seen = new Map<string, number | null>();
  check(id: string, at: Location, field = "id"): void {
    if (this.seen.has(id)) {
      const first = this.seen.get(id);
      throw new DataError(at, field, `duplicate id ${JSON.stringify(id)} (first on line ${first ?? "?"})`);
    }
    this.seen.set(id, at.line);
  }
}

export async function* readGroupRecords(
  input: Input,
  parse: (value: unknown, at: Location) => ParaphraseGroup,
  options: ReadOptions = {},
  idField = "id",
): AsyncGenerator<ParaphraseGroup> {
  const ids = new UniqueIds();
  for await (const { value, at } of readJsonl(input, options)) {
    const group = parse(value, at);
    ids.check(group.id, at, idField);
    yield group;
  }
}
