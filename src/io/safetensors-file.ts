// Reader for the safetensors format: 8-byte little-endian header length, a JSON header mapping names
// to {dtype, shape, data_offsets} (offsets relative to the end of the header), then the raw bytes.
// Only the header is read on open; tensors are read one at a time with positioned reads, or located for
// the engine to map (`locate`).
import { closeSync, fstatSync, openSync } from "node:fs";
import { ModelFileError } from "./model-file-error.js";
import { byteLength, type DType, isDType, type RawTensor } from "./raw-tensor.js";
import { readExactly } from "./read-exactly.js";
import type { FileRegion, TensorInfo, TensorSource } from "./tensor-source.js";

/** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
const MAX_HEADER_BYTES = 100_000_000;

interface Entry extends TensorInfo {
  begin: number;
  end: number;
}

export class SafetensorsFile implements TensorSource {
  readonly path: string;
  readonly metadata: Record<string, string>;
  private readonly entries: Map<string, Entry>;
  private readonly dataStart: number;
  private fd: number | undefined;

  private constructor(
    path: string,
    fd: number,
    metadata: Record<string, string>,
    entries: Map<string, Entry>,
    dataStart: number,
  ) {
    this.path = path;
    this.fd = fd;
    this.metadata = metadata;
    this.entries = entries;
    this.dataStart = dataStart;
  }

  static open(path: string): SafetensorsFile {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size < 8)
        throw new ModelFileError(
          path,
          `not a safetensors file: ${size} bytes, shorter than the 8-byte header length`,
        );
      const headerLen = readExactly(fd, path, 0, 8).readBigUInt64LE(0);
      if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
        throw new ModelFileError(
          path,
          `header length ${headerLen} exceeds the file (${size} bytes) or the 100 MB limit`,
        );
      }
      const n = Number(headerLen);
      const text = readExactly(fd, path, 8, n).toString("utf8");
      const { metadata, entries } = parseHeader(path, text, size - 8 - n);
      return new SafetensorsFile(path, fd, metadata, entries, 8 + n);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  list(): TensorInfo[] {
    return [...this.entries.values()].map(({ name, dtype, shape }) => ({ name, dtype, shape: [...shape] }));
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  locate(name: string): FileRegion {
    const e = this.entries.get(name);
    if (e === undefined) throw new ModelFileError(this.path, "no such tensor", name);
    const { dtype, shape, begin, end } = e;
    return {
      name,
      dtype,
      shape: [...shape],
      path: this.path,
      offset: this.dataStart + begin,
      byteLength: end - begin,
    };
  }

  read(name: string): RawTensor {
    const e = this.entries.get(name);
    if (e === undefined) throw new ModelFileError(this.path, "no such tensor", name);
    if (this.fd === undefined) throw new ModelFileError(this.path, "file is closed", name);
    const data = readExactly(this.fd, this.path, this.dataStart + e.begin, e.end - e.begin, name);
    return { name, dtype: e.dtype, shape: [...e.shape], data };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parseHeader(path: string, text: string, dataBytes: number) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(path, `header is not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(json)) throw new ModelFileError(path, "header is not a JSON object");
  const metadata: Record<string, string> = {};
  const entries = new Map<string, Entry>();
  for (const [name, value] of Object.entries(json)) {
    if (name === "__metadata__") {
      if (!isPlainObject(value)) throw new ModelFileError(path, "__metadata__ is not an object");
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== "string") throw new ModelFileError(path, `__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    entries.set(name, parseEntry(path, name, value, dataBytes));
  }
  return { metadata, entries };
}

function parseEntry(path: string, name: string, value: unknown, dataBytes: number): Entry {
  if (!isPlainObject(value)) throw new ModelFileError(path, "header entry is not an object", name);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== "string" || !isDType(dtype))
    throw new ModelFileError(path, `unsupported dtype ${JSON.stringify(dtype)}`, name);
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw new ModelFileError(path, `invalid shape ${JSON.stringify(shape)}`, name);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw new ModelFileError(path, `invalid data_offsets ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes)
    throw new ModelFileError(
      path,
      `data_offsets end ${end} is past the end of the data (${dataBytes} bytes)`,
      name,
    );
  const expected = byteLength(dtype as DType, shape);
  if (end - begin !== expected) {
    throw new ModelFileError(
      path,
      `shape [${shape}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`,
      name,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
