// Reader for GGUF files, versions 1-3 (ggml/docs/gguf.md). Layout: magic, version, tensor count,
// metadata count, metadata key/values, tensor infos, padding to `general.alignment`, tensor data.
// Version 1 stores counts, string lengths, array lengths and dims as u32; versions 2 and 3 as u64.
// GGUF lists dims fastest-varying first; `list`/`read` give PyTorch's row-major order (reversed).
// The header is parsed from a growing prefix of the file; tensors are read one at a time.
import { closeSync, fstatSync, openSync } from "node:fs";
import { ByteCursor, NeedMoreBytes } from "./byte-cursor.js";
import { dequantizeQ4_0, dequantizeQ8_0 } from "./gguf-dequantize.js";
import {
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VALUE_TYPES,
  type GgmlType,
  type GgufPlain,
  type GgufValue,
  type GgufValueType,
} from "./gguf-types.js";
import { ModelFileError } from "./model-file-error.js";
import { type DType, fromFloat32, type RawTensor } from "./raw-tensor.js";
import { readExactly } from "./read-exactly.js";
import type { TensorInfo, TensorSource } from "./tensor-source.js";

export interface GgufTensorInfo {
  name: string;
  ggmlType: GgmlType;
  /** As stored: fastest-varying first. */
  dims: number[];
  /** Relative to the start of the data section. */
  offset: number;
  byteLength: number;
}

/** What `read` turns each stored type into. */
const READ_AS: Readonly<Record<string, DType>> = {
  F32: "F32",
  F16: "F16",
  BF16: "BF16",
  F64: "F64",
  I8: "I8",
  I16: "I16",
  I32: "I32",
  I64: "I64",
  Q8_0: "F32",
  Q4_0: "F32",
};

const MAX_DIMS = 4;

export class GgufFile implements TensorSource {
  readonly path: string;
  readonly version: number;
  readonly metadata: Map<string, GgufValue>;
  readonly tensorInfos: Map<string, GgufTensorInfo>;
  readonly alignment: number;
  readonly dataStart: number;
  private fd: number | undefined;

  private constructor(path: string, fd: number, parsed: ParsedHeader) {
    this.path = path;
    this.fd = fd;
    this.version = parsed.version;
    this.metadata = parsed.metadata;
    this.tensorInfos = parsed.tensorInfos;
    this.alignment = parsed.alignment;
    this.dataStart = parsed.dataStart;
  }

  static open(path: string): GgufFile {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      // Most headers fit in 1 MiB; tokenizer-heavy ones need a few MiB: grow and re-parse.
      for (let prefix = Math.min(size, 1 << 20); ; prefix = Math.min(size, prefix * 4)) {
        try {
          return new GgufFile(
            path,
            fd,
            parseHeader(new ByteCursor(readExactly(fd, path, 0, prefix), size, path)),
          );
        } catch (err) {
          if (!(err instanceof NeedMoreBytes)) throw err;
        }
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** The plain value of a metadata key (arrays as arrays of plain values), or undefined. */
  get(key: string): GgufPlain | undefined {
    return this.metadata.get(key)?.value;
  }

  list(): TensorInfo[] {
    return [...this.tensorInfos.values()].map((t) => ({
      name: t.name,
      dtype: readDType(this.path, t),
      shape: [...t.dims].reverse(),
    }));
  }

  has(name: string): boolean {
    return this.tensorInfos.has(name);
  }

  /** Reads one tensor; Q8_0 and Q4_0 are dequantized to F32. */
  read(name: string): RawTensor {
    const t = this.tensorInfos.get(name);
    if (t === undefined) throw new ModelFileError(this.path, "no such tensor", name);
    if (this.fd === undefined) throw new ModelFileError(this.path, "file is closed", name);
    const dtype = readDType(this.path, t);
    const raw = readExactly(this.fd, this.path, this.dataStart + t.offset, t.byteLength, name);
    const shape = [...t.dims].reverse();
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.ggmlType.name === "Q8_0") return fromFloat32(name, shape, dequantizeQ8_0(raw, count));
    if (t.ggmlType.name === "Q4_0") return fromFloat32(name, shape, dequantizeQ4_0(raw, count));
    return { name, dtype, shape, data: raw };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readDType(path: string, t: GgufTensorInfo): DType {
  const d = READ_AS[t.ggmlType.name];
  if (d === undefined)
    throw new ModelFileError(
      path,
      `ggml type ${t.ggmlType.name} is not supported (supported: ${Object.keys(READ_AS).join(", ")})`,
      t.name,
    );
  return d;
}

interface ParsedHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensorInfos: Map<string, GgufTensorInfo>;
  alignment: number;
  dataStart: number;
}

function parseHeader(c: ByteCursor): ParsedHeader {
  const path = c.path;
  if (c.fileSize < 8 || c.u32("magic") !== GGUF_MAGIC)
    throw new ModelFileError(path, "not a GGUF file (bad magic)");
  const version = c.u32("version");
  if (version < 1 || version > 3)
    throw new ModelFileError(path, `unsupported GGUF version ${version} (supported: 1, 2, 3)`);
  const bits = version === 1 ? 32 : 64;
  // Every tensor info and key/value takes well over 8 bytes, which bounds plausible counts.
  const nTensors = c.count(bits, c.remainingInFile / 8, "tensor count");
  const nKv = c.count(bits, c.remainingInFile / 8, "metadata count");
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < nKv; i++) {
    const key = readString(c, bits, "metadata key");
    const type = valueType(c, c.u32(key), key);
    if (type === "array") {
      const at = c.pos;
      const itemType = valueType(c, c.u32(key), key);
      c.pos = at;
      metadata.set(key, { type, itemType, value: readValue(c, bits, type, key) as GgufPlain[] });
    } else {
      metadata.set(key, { type, value: readValue(c, bits, type, key) } as GgufValue);
    }
  }
  const alignValue = metadata.get("general.alignment");
  const alignment = alignValue === undefined ? GGUF_DEFAULT_ALIGNMENT : Number(alignValue.value);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new ModelFileError(
      path,
      `general.alignment ${String(alignValue?.value)} is not a positive power of two`,
    );
  }
  const infos: GgufTensorInfo[] = [];
  for (let i = 0; i < nTensors; i++) infos.push(readTensorInfo(c, bits, alignment));
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  const tensorInfos = indexTensorInfos(path, infos, c.fileSize - dataStart);
  return { version, metadata, tensorInfos, alignment, dataStart };
}

function readString(c: ByteCursor, bits: 32 | 64, what: string): string {
  return c.bytes(c.count(bits, c.remainingInFile, `${what} length`), what).toString("utf8");
}

function valueType(c: ByteCursor, id: number, key: string): GgufValueType {
  const t = GGUF_VALUE_TYPES[id];
  if (t === undefined) throw new ModelFileError(c.path, `metadata ${key}: unknown value type ${id}`);
  return t;
}

/** One metadata value of the given type (arrays: their item type, length and items). */
function readValue(c: ByteCursor, bits: 32 | 64, type: GgufValueType, key: string): GgufPlain {
  switch (type) {
    case "u8":
      return c.u8(key);
    case "i8":
      return c.i8(key);
    case "u16":
      return c.u16(key);
    case "i16":
      return c.i16(key);
    case "u32":
      return c.u32(key);
    case "i32":
      return c.i32(key);
    case "f32":
      return c.f32(key);
    case "f64":
      return c.f64(key);
    case "u64":
      return c.u64(key);
    case "i64":
      return c.i64(key);
    case "bool": {
      const b = c.u8(key);
      if (b > 1) throw new ModelFileError(c.path, `metadata ${key}: bool byte is ${b}, not 0 or 1`);
      return b === 1;
    }
    case "string":
      return readString(c, bits, key);
    case "array": {
      const itemType = valueType(c, c.u32(key), key);
      const n = c.count(bits, c.remainingInFile, `${key} array length`);
      const items: GgufPlain[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = readValue(c, bits, itemType, key);
      return items;
    }
  }
}

/** One tensor's name, shape, type and data offset, checked against the alignment and block size. */
function readTensorInfo(c: ByteCursor, bits: 32 | 64, alignment: number): GgufTensorInfo {
  const path = c.path;
  const name = readString(c, bits, "tensor name");
  const nDims = c.u32(`${name} n_dims`);
  if (nDims > MAX_DIMS) throw new ModelFileError(path, `${nDims} dims (at most ${MAX_DIMS})`, name);
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) dims.push(c.count(bits, Number.MAX_SAFE_INTEGER, `${name} dim`));
  const typeId = c.u32(`${name} type`);
  const ggmlType = GGML_TYPES.get(typeId);
  if (ggmlType === undefined) throw new ModelFileError(path, `unknown ggml type ${typeId}`, name);
  const offset = c.count(64, Number.MAX_SAFE_INTEGER, `${name} offset`);
  if (offset % alignment !== 0)
    throw new ModelFileError(
      path,
      `data offset ${offset} is not a multiple of the alignment ${alignment}`,
      name,
    );
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.length > 0 && dims[0]! % ggmlType.blockSize !== 0) {
    throw new ModelFileError(
      path,
      `first dim ${dims[0]} is not a multiple of the ${ggmlType.name} block size ${ggmlType.blockSize}`,
      name,
    );
  }
  return { name, ggmlType, dims, offset, byteLength: (count / ggmlType.blockSize) * ggmlType.typeSize };
}

/** The tensor infos by name; duplicates and data past the end of the file are refused. */
function indexTensorInfos(
  path: string,
  infos: readonly GgufTensorInfo[],
  dataBytes: number,
): Map<string, GgufTensorInfo> {
  const tensorInfos = new Map<string, GgufTensorInfo>();
  for (const t of infos) {
    if (tensorInfos.has(t.name)) throw new ModelFileError(path, "duplicate tensor name", t.name);
    if (t.offset + t.byteLength > dataBytes) {
      throw new ModelFileError(
        path,
        `data [${t.offset}, ${t.offset + t.byteLength}) runs past the end of the data section (${Math.max(0, dataBytes)} bytes)`,
        t.name,
      );
    }
    tensorInfos.set(t.name, t);
  }
  return tensorInfos;
}
