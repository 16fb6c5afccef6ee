// JSON Lines: one JSON value a line, streamed; blank lines are skipped. Each format is a parse function
// over these values, and every failure names file, line and field.
import { streamTextAtomic } from "../util/atomic-write.js";
import { DataError, type Location } from "./errors.js";
import { MAX_LINE_BYTES, readLines } from "./line-reader.js";
import { type Input, toSource } from "./source.js";

export interface ReadOptions {
  /** Cap on one line in bytes (default 64 MiB). */
  maxLineBytes?: number;
}

export interface JsonLine {
  value: unknown;
  at: Location;
}

export async function* readJsonl(input: Input, options: ReadOptions = {}): AsyncGenerator<JsonLine> {
  const source = toSource(input);
  for await (const { text, line } of readLines(source, options.maxLineBytes ?? MAX_LINE_BYTES)) {
    if (text.trim().length === 0) continue;
    const at = { file: source.name, line };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new DataError(at, "(json)", `malformed JSON: ${(err as Error).message}`);
    }
    yield { value, at };
  }
}

/** Streams the records of a JSONL file through a format's parse function. */
export async function* readRecords<T>(
  input: Input,
  parse: (value: unknown, at: Location) => T,
  options: ReadOptions = {},
): AsyncGenerator<T> {
  for await (const { value, at } of readJsonl(input, options)) yield parse(value, at);
}

/** Writes one JSON value a line (each item through toJson) from any (async) iterable, atomically. */
export function writeJsonl<T>(
  path: string,
  items: AsyncIterable<T> | Iterable<T>,
  toJson: (item: T) => unknown = (item) => item,
): Promise<void> {
  return streamTextAtomic(path, async (out) => {
    for await (const item of items) await out.write(`${JSON.stringify(toJson(item))}\n`);
  });
}
