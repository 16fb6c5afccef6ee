// RobustAlpacaEval's JSONL ({"instruction", "paraphrases", "index"}, Cao et al. 2024) as paraphrase
// groups: the instruction is the original variant, each paraphrase a variant of origin "dataset".
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";
import { ORIGINAL, type ParaphraseGroup } from "./group.js";
import { readGroupRecords } from "./group-reader.js";
import { type ReadOptions, writeJsonl } from "./jsonl.js";
import type { Input } from "./source.js";

export function parseRobustAlpacaEval(value: unknown, at: Location): ParaphraseGroup {
  const f = Fields.of(value, at);
  const index = f.number("index", { integer: true, min: 0 });
  const instruction = f.string("instruction", { nonEmpty: true });
  const paraphrases = f.stringArray("paraphrases");
  paraphrases.forEach((p, i) => {
    if (p.length === 0) f.fail(`paraphrases[${i}]`, "must not be empty");
  });
  return {
    id: String(index),
    instruction,
    input: "",
    variants: [
      { text: instruction, origin: ORIGINAL },
      ...paraphrases.map((text) => ({ text, origin: "dataset" })),
    ],
    references: [],
  };
}

export function readRobustAlpacaEval(input: Input, options?: ReadOptions): AsyncGenerator<ParaphraseGroup> {
  return readGroupRecords(input, parseRobustAlpacaEval, options, "index");
}

/** Writes groups whose ids are integers; the original variant (or the instruction) is "instruction". */
export function writeRobustAlpacaEval(
  path: string,
  groups: AsyncIterable<ParaphraseGroup> | Iterable<ParaphraseGroup>,
): Promise<void> {
  return writeJsonl(path, groups, (g) => {
    if (!/^(0|[1-9][0-9]*)$/.test(g.id))
      throw new TypeError(`RobustAlpacaEval needs integer ids, got ${JSON.stringify(g.id)}`);
    return {
      instruction: g.instruction,
      paraphrases: g.variants.filter((v) => v.origin !== ORIGINAL).map((v) => v.text),
      index: Number(g.id),
    };
  });
}
