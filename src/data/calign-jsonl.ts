// calign's own format: one paraphrase group a line (see group.ts), ids unique within a file.
import { collect } from "../util/collect.js";
import { DataError, type Location } from "./errors.js";
import { groupToJson, type ParaphraseGroup, parseGroup } from "./group.js";
import { readGroupRecords } from "./group-reader.js";
import { type ReadOptions, writeJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

export function readGroups(input: Input, options?: ReadOptions): AsyncGenerator<ParaphraseGroup> {
  return readGroupRecords(input, parseGroup, options);
}

/** Every group of a file at once, for the stages that need them all (sorting, splitting, counting). */
export function readAllGroups(input: Input, options?: ReadOptions): Promise<ParaphraseGroup[]> {
  return collect(readGroups(input, options));
}

export function writeGroups(
  path: string,
  groups: AsyncIterable<ParaphraseGroup> | Iterable<ParaphraseGroup>,
): Promise<void> {
  return writeJsonl(path, groups, groupToJson);
}

/** A group as `calign metrics` needs it: every variant carries the model's response. */
export function parseResponseGroup(value: unknown, at: Location): ParaphraseGroup {
  const group = parseGroup(value, at);
  group.variants.forEach((v, i) => {
    if (v.response === undefined)
      throw new DataError(at, `variants[${i}].response`, "missing (every variant needs a response)");
  });
  return group;
}

export function readResponseGroups(input: Input, options?: ReadOptions): AsyncGenerator<ParaphraseGroup> {
  return readGroupRecords(input, parseResponseGroup, options);
}
