// calign's own format: one paraphrase group a line (see group.ts), ids unique within a file.
import { groupToJson, type ParaphraseGroup, parseGroup } from "./group.js";
import { readGroupRecords } from "./group-reader.js";
import { type ReadOptions, writeJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

export function readGroups(input: Input, options?: ReadOptions): AsyncGenerator<ParaphraseGroup> {
  return readGroupRecords(input, parseGroup, options);
}

export function writeGroups(
  path: string,
  groups: AsyncIterable<ParaphraseGroup> | Iterable<ParaphraseGroup>,
): Promise<void> {
  return writeJsonl(path, groups, groupToJson);
}
