// Bounds-checked little-endian reads over a prefix of a file. When the prefix ends before the file
// does, reads past it throw NeedMoreBytes so the caller can read a longer prefix and parse again;
// past the real end of the file they throw a ModelFileError saying the file is truncated.
import { ModelFileError } from "./model-file-error.js";

export class NeedMoreBytes extends Error {}

export class ByteCursor {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly buf: Buffer,
    readonly fileSize: number,
    readonly path: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Bytes between the cursor and the end of the file (not just of the prefix). */
  get remainingInFile(): number {
    return this.fileSize - this.pos;
  }

  private take(n: number, what: string): number {
    const at = this.pos;
    if (at + n > this.buf.byteLength) {
      if (this.buf.byteLength < this.fileSize) throw new NeedMoreBytes();
      throw new ModelFileError(
        this.path,
        `truncated: ${what} needs ${n} bytes at offset ${at}, file has ${this.fileSize}`,
      );
    }
    this.pos += n;
    return at;
  }

  u8(what: string): number {
    return this.view.getUint8(this.take(1, what));
  }
  i8(what: string): number {
    return this.view.getInt8(this.take(1, what));
  }
  u16(what: string): number {
    return this.view.getUint16(this.take(2, what), true);
  }
  i16(what: string): number {
    return this.view.getInt16(this.take(2, what), true);
  }
  u32(what: string): number {
    return this.view.getUint32(this.take(4, what), true);
  }
  i32(what: string): number {
    return this.view.getInt32(this.take(4, what), true);
  }
  f32(what: string): number {
    return this.view.getFloat32(this.take(4, what), true);
  }
  f64(what: string): number {
    return this.view.getFloat64(this.take(8, what), true);
  }
  u64(what: string): bigint {
    return this.view.getBigUint64(this.take(8, what), true);
  }
  i64(what: string): bigint {
    return this.view.getBigInt64(this.take(8, what), true);
  }

  /** A u64 that must fit a JS number and not exceed `max` (guards allocations against corrupt counts). */
  count(bits: 32 | 64, max: number, what: string): number {
    const v = bits === 32 ? BigInt(this.u32(what)) : this.u64(what);
    if (v > BigInt(Math.floor(max))) {
      throw new ModelFileError(
        this.path,
        `implausible ${what} ${v} at offset ${this.pos - bits / 8} (at most ${max} possible)`,
      );
    }
    return Number(v);
  }

  bytes(n: number, what: string): Buffer {
    const at = this.take(n, what);
    return this.buf.subarray(at, at + n);
  }
}
