// Where records come from: a named stream of bytes. Files are opened lazily and read in chunks, so no
// reader ever holds a whole file; "-" means standard input.
import { createReadStream } from "node:fs";
import { DataError } from "./errors.js";

export interface Source {
  /** Used in every error message. */
  name: string;
  chunks(): AsyncIterable<Uint8Array | string>;
}

export type Input = string | Source;

export function fileSource(path: string): Source {
  if (path === "-") return { name: "<stdin>", chunks: () => process.stdin };
  return { name: path, chunks: () => createReadStream(path, { highWaterMark: 1 << 16 }) };
}

export function toSource(input: Input): Source {
  return typeof input === "string" ? fileSource(input) : input;
}

/** Bytes of the source as Buffers; a file that cannot be read becomes a DataError naming it. */
export async function* byteChunks(source: Source): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source.chunks())
      yield typeof chunk === "string"
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      throw new DataError(
        { file: source.name, line: null },
        "(file)",
        `cannot read: ${(err as Error).message}`,
      );
    }
    throw err;
  }
}

/** Records held in memory as a source (tests, and callers that already have the bytes). */
export function memorySource(name: string, data: string | Uint8Array, chunkSize = 1 << 16): Source {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  return {
    name,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}
