// Splits a byte stream into lines without ever holding more than one line: a line longer than the cap is
// an error as soon as the cap is passed (a 2 GB line is never read whole), and every line must be valid
// UTF-8.
import { DataError } from "./errors.js";
import { byteChunks, type Source } from "./source.js";

/** Default cap on one line (one record), in bytes. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface Line {
  text: string;
  /** 1-based. */
  line: number;
}

function mib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(0)} MiB` : `${bytes} bytes`;
}

export async function* readLines(source: Source, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let parts: Buffer[] = [];
  let pending = 0;
  let line = 0;
  const tooLong = (): DataError =>
    new DataError(
      { file: source.name, line: line + 1 },
      "(line)",
      `line is longer than ${mib(maxLineBytes)}`,
    );
  const finish = (bytes: Buffer): Line => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new DataError({ file: source.name, line }, "(line)", "invalid UTF-8");
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    return { text, line };
  };
  for await (const chunk of byteChunks(source)) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (pending + nl - start > maxLineBytes) throw tooLong();
      const piece = chunk.subarray(start, nl);
      yield finish(pending === 0 ? piece : Buffer.concat([...parts, piece]));
      parts = [];
      pending = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending += chunk.length - start;
      if (pending > maxLineBytes) throw tooLong();
      // Copy: the stream may reuse its buffer for the next chunk.
      parts.push(Buffer.from(chunk.subarray(start)));
    }
  }
  if (pending > 0) yield finish(Buffer.concat(parts));
}
