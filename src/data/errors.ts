// The one error type for bad input data: it names the file, the line and the field, so the CLI can print
// `file:line: field: message` and exit 1, and the fuzz test can tell a clear rejection from a crash.

export interface Location {
  /** The file name as the user gave it ("<stdin>" for standard input). */
  file: string;
  /** 1-based line; null where the problem is not on one line (a missing file). */
  line: number | null;
}

export class DataError extends Error {
  override name = "DataError";
  readonly file: string;
  readonly line: number | null;
  readonly field: string;
  readonly reason: string;

  constructor(at: Location, field: string, reason: string) {
    // A field named "" (legal JSON) would leave a blank in the message.
    const name = field === "" ? '""' : field;
    super(`${at.file}${at.line === null ? "" : `:${at.line}`}: ${name}: ${reason}`);
    this.file = at.file;
    this.line = at.line;
    this.field = name;
    this.reason = reason;
  }
}

/** A short description of a JSON value's type for messages ("got a number"). */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}
