// Reads one large JSON document value by value instead of whole: the caller walks the structure it
// expects (an object whose "Instances" array may be huge) and takes each value as raw bytes, parsed on
// its own. Every byte is looked at once, so malformed input ends in an error, never a loop; one value is
// capped in size like a JSONL line.
import { DataError } from "./errors.js";

const SPACE = new Set([0x20, 0x09, 0x0d, 0x0a]);
const SCALAR_END = new Set([0x2c, 0x7d, 0x5d, 0x20, 0x09, 0x0d, 0x0a]);

function show(byte: number): string {
  return byte === -1 ? "the end of the file" : JSON.stringify(String.fromCharCode(byte));
}

export class JsonScanner {
  private chunk: Buffer = Buffer.alloc(0);
  private pos = 0;
  private ended = false;
  /** 1-based line of the next unread byte. */
  line = 1;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    readonly file: string,
    private readonly maxValueBytes: number,
  ) {}

  /** Releases the underlying stream (a file left half read). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  error(field: string, reason: string, line = this.line): DataError {
    return new DataError({ file: this.file, line }, field, reason);
  }

  private async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.chunk = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** Skips whitespace and returns the next byte without taking it (-1 at the end). */
  async peek(): Promise<number> {
    while (await this.fill()) {
      const b = this.chunk[this.pos]!;
      if (!SPACE.has(b)) return b;
      if (b === 0x0a) this.line++;
      this.pos++;
    }
    return -1;
  }

  /** Takes the next non-space byte, which must be one of `bytes` (e.g. "," or "}"); returns it. */
  async take(bytes: string, field: string): Promise<string> {
    const b = await this.peek();
    const c = b === -1 ? "" : String.fromCharCode(b);
    if (b === -1 || !bytes.includes(c)) {
      const want = [...bytes].map((x) => JSON.stringify(x)).join(" or ");
      throw this.error(field, `malformed JSON: expected ${want}, found ${show(b)}`);
    }
    this.pos++;
    return c;
  }

  /** Takes one whole JSON value (string, number, literal, object or array) and parses it. */
  async value(field: string): Promise<{ value: unknown; line: number }> {
    const first = await this.peek();
    if (first === -1) throw this.error(field, "malformed JSON: unexpected end of the file");
    const line = this.line;
    const kind = first === 0x22 ? "string" : first === 0x7b || first === 0x5b ? "container" : "scalar";
    const parts: Buffer[] = [];
    let size = 0;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let complete = false;
    while (!complete) {
      if (!(await this.fill())) {
        if (kind === "scalar" && size > 0) break;
        throw this.error(field, "malformed JSON: unexpected end of the file", line);
      }
      const c = this.chunk;
      let i = this.pos;
      for (; i < c.length; i++) {
        const b = c[i]!;
        if (kind === "scalar" && SCALAR_END.has(b)) {
          complete = true;
          break;
        }
        if (b === 0x0a) this.line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === 0x5c) escaped = true;
          else if (b === 0x22) {
            inString = false;
            if (kind === "string") {
              complete = true;
              i++;
              break;
            }
          }
        } else if (b === 0x22) inString = true;
        else if (b === 0x7b || b === 0x5b) depth++;
        else if (b === 0x7d || b === 0x5d) {
          depth--;
          if (depth === 0) {
            complete = true;
            i++;
            break;
          }
        }
      }
      size += i - this.pos;
      if (size > this.maxValueBytes) {
        throw this.error(field, `value is longer than ${this.maxValueBytes} bytes`, line);
      }
      // Copied: a stream may reuse its chunk buffers.
      parts.push(Buffer.from(c.subarray(this.pos, i)));
      this.pos = i;
    }
    return { value: this.parse(Buffer.concat(parts), field, line), line };
  }

  private parse(bytes: Buffer, field: string, line: number): unknown {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw this.error(field, "invalid UTF-8", line);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw this.error(field, `malformed JSON: ${(err as Error).message}`, line);
    }
  }
}
